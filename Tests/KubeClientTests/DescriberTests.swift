import Foundation
import KubeAPI
import XCTest
@testable import KubeClient

final class DescriberTests: XCTestCase {
    func testTabWriterAlignsEachBlockOfTabbedLines() {
        // As Go's tabwriter: the block ends at a line without a tab; trailing text is not padded.
        XCTAssertEqual(TabWriter.format(["Name:\tweb", "Namespace:\tdefault", "Spec:", "  Holder Identity:\tn1", "  X:\ty"], padding: 2), """
            Name:       web
            Namespace:  default
            Spec:
              Holder Identity:  n1
              X:                y

            """)
        XCTAssertEqual(TabWriter.format(["a\tbb\tc", "aaa\tb\tc", "x"], minWidth: 6, padding: 3), "a     bb    c\naaa   b     c\nx\n")
    }

    func testLabelsAsKubectlsSmartLabelFor() {
        XCTAssertEqual(Describer.label("apiVersion"), "API Version")
        XCTAssertEqual(Describer.label("uid"), "UID")
        XCTAssertEqual(Describer.label("leaseDurationSeconds"), "Lease Duration Seconds")
        XCTAssertEqual(Describer.label("podIPs"), "Pod I Ps")
        XCTAssertEqual(Describer.label("HTTPServer"), "HTTP Server")
        XCTAssertEqual(Describer.label("kubernetes.io/os"), "kubernetes.io/os")
    }

    func testGenericDescription() throws {
        let lease = try JSONValue.parse(#"""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n1","namespace":"kube-node-lease",
             "labels":{"b":"2","a":"1"},"uid":"u-1","resourceVersion":"7","creationTimestamp":"2026-12-06T10:00:00Z",
             "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"n1","uid":"u-0"}]},
             "spec":{"holderIdentity":"n1","leaseDurationSeconds":40}}
            """#)
        let event = try JSONValue.parse(#"""
            {"type":"Normal","reason":"Renewed","message":" lease renewed ","count":3,"source":{"component":"kubelet"},
             "firstTimestamp":"2026-12-06T10:00:00Z","lastTimestamp":"2026-12-06T10:04:00Z"}
            """#)
        let now = ISO8601DateFormatter().date(from: "2026-12-06T10:05:00Z")!
        XCTAssertEqual(Describer.describe(lease, events: [event], now: now), """
            Name:         n1
            Namespace:    kube-node-lease
            Labels:       a=1
                          b=2
            Annotations:  <none>
            API Version:  coordination.k8s.io/v1
            Kind:         Lease
            Metadata:
              Creation Timestamp:  2026-12-06T10:00:00Z
              Owner References:
                API Version:     v1
                Kind:            Node
                Name:            n1
                UID:             u-0
              Resource Version:  7
              UID:               u-1
            Spec:
              Holder Identity:         n1
              Lease Duration Seconds:  40
            Events:
              Type    Reason   Age               From     Message
              ----    ------   ----              ----     -------
              Normal  Renewed  60s (x3 over 5m)  kubelet  lease renewed

            """)
        XCTAssertTrue(Describer.describe(lease, events: [], now: now).hasSuffix("Events:                    <none>\n"))
    }
}
