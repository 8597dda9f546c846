import Foundation
import KubeAPI
import KubeStore
import XCTest
@testable import APIServer

/// events.k8s.io/v1 and core/v1 Events through the handler: one stored object, read,
/// listed, selected, printed and watched through either API, and validated as upstream.
final class EventsTests: HandlerTestCase {
    override func setUp() async throws {
        try await super.setUp()
        let (status, _) = await request("POST", "/api/v1/namespaces", #"{"metadata":{"name":"demo"}}"#)
        XCTAssertEqual(status, 201)
    }

    static let v1Event = #"""
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web.1"},
         "eventTime":"2026-01-02T03:04:05.123456Z","reportingController":"example.com/deployer","reportingInstance":"deployer-1",
         "action":"Deploying","reason":"Started","type":"Normal","note":"deploying web",
         "regarding":{"kind":"Deployment","namespace":"demo","name":"web","apiVersion":"apps/v1"},
         "related":{"kind":"Pod","namespace":"demo","name":"web-1"},
         "series":{"count":2,"lastObservedTime":"2026-01-02T03:05:05.000000Z"}}
        """#

    static let coreEvent = #"""
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.2"},
         "involvedObject":{"kind":"Pod","namespace":"demo","name":"web","fieldPath":"spec.containers{app}"},
         "reason":"BackOff","message":"Back-off restarting failed container ","type":"Warning",
         "source":{"component":"kubelet","host":"node1"},"count":3,
         "firstTimestamp":"2026-01-02T03:00:00Z","lastTimestamp":"2026-01-02T03:10:00Z"}
        """#

    func testAnEventsV1EventReadsAsACoreEvent() async throws {
        let (status, created) = await request("POST", "/apis/events.k8s.io/v1/namespaces/demo/events", Self.v1Event)
        XCTAssertEqual(status, 201, "\(created)")
        XCTAssertEqual(created["apiVersion"], "events.k8s.io/v1")
        XCTAssertEqual(created["note"], "deploying web")

        let (found, core) = await request("GET", "/api/v1/namespaces/demo/events/web.1")
        XCTAssertEqual(found, 200)
        XCTAssertEqual(core["apiVersion"], "v1")
        XCTAssertEqual(core["involvedObject"], created["regarding"])
        XCTAssertEqual(core["message"], "deploying web")
        XCTAssertEqual(core["reportingComponent"], "example.com/deployer")
        for field in ["reportingInstance", "action", "reason", "type", "eventTime", "series", "related"] {
            XCTAssertEqual(core[field], created[field], field)
            XCTAssertNotNil(core[field], field)
        }
        for field in ["note", "regarding", "reportingController", "deprecatedCount"] { XCTAssertNil(core[field], field) }
        XCTAssertEqual(core["metadata"]?["uid"], created["metadata"]?["uid"])
        XCTAssertEqual(core["metadata"]?["resourceVersion"], created["metadata"]?["resourceVersion"])

        // Core field selectors see it, `source` by its reporting controller (it has no legacy source).
        for selector in ["involvedObject.name%3Dweb", "reportingComponent%3Dexample.com%2Fdeployer", "source%3Dexample.com%2Fdeployer"] {
            let (_, list) = await request("GET", "/api/v1/namespaces/demo/events?fieldSelector=\(selector)")
            XCTAssertEqual(list["items"]?.arrayValue?.count, 1, selector)
        }

        // Served and discovered as a group of its own.
        let (_, groups) = await request("GET", "/apis")
        XCTAssertTrue(groups["groups"]?.arrayValue?.contains { $0["name"] == "events.k8s.io" } == true)
        let (_, resources) = await request("GET", "/apis/events.k8s.io/v1")
        XCTAssertEqual(resources["resources"]?.arrayValue?.first?["shortNames"], .array(["ev"]))
        let aggregated = handler.aggregatedDiscovery(core: false)["items"]?.arrayValue ?? []
        XCTAssertEqual(aggregated.first { $0["metadata"]?["name"] == "events.k8s.io" }?["versions"]?.arrayValue?.first?["resources"]?
            .arrayValue?.first?["resource"], "events")
    }

    func testACoreEventReadsListsAndPrintsAsAnEventsV1Event() async throws {
        let (status, _) = await request("POST", "/api/v1/namespaces/demo/events", Self.coreEvent)
        XCTAssertEqual(status, 201)
        _ = await request("POST", "/apis/events.k8s.io/v1/namespaces/demo/events", Self.v1Event)

        let (found, event) = await request("GET", "/apis/events.k8s.io/v1/namespaces/demo/events/web.2")
        XCTAssertEqual(found, 200)
        XCTAssertEqual(event["apiVersion"], "events.k8s.io/v1")
        XCTAssertEqual(event["regarding"]?["fieldPath"], "spec.containers{app}")
        XCTAssertEqual(event["note"], "Back-off restarting failed container ")
        XCTAssertEqual(event["deprecatedSource"], .object(["component": "kubelet", "host": "node1"]))
        XCTAssertEqual(event["deprecatedCount"], .int(3))
        XCTAssertEqual(event["deprecatedFirstTimestamp"], "2026-01-02T03:00:00Z")
        XCTAssertEqual(event["deprecatedLastTimestamp"], "2026-01-02T03:10:00Z")
        for field in ["involvedObject", "message", "source", "count", "firstTimestamp", "lastTimestamp"] { XCTAssertNil(event[field], field) }

        // events.k8s.io's field labels, converted to the stored fields.
        for (selector, names) in [("regarding.kind%3DPod", ["web.2"]), ("regarding.name%3Dweb", ["web.1", "web.2"]),
                                  ("reportingController%3Dexample.com%2Fdeployer,type%3DNormal", ["web.1"]),
                                  ("source%3Dkubelet", ["web.2"]), ("metadata.name%3Dweb.1", ["web.1"])] {
            let (_, list) = await request("GET", "/apis/events.k8s.io/v1/events?fieldSelector=\(selector)")
            XCTAssertEqual(list["kind"], "EventList")
            XCTAssertEqual(list["apiVersion"], "events.k8s.io/v1")
            XCTAssertEqual(list["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue }, names, selector)
        }
        let (refused, _) = await request("GET", "/apis/events.k8s.io/v1/events?fieldSelector=involvedObject.kind%3DPod")
        XCTAssertEqual(refused, 400)

        // The Table is upstream's event printer's, wide columns included, whichever API lists.
        let (_, table) = await request("GET", "/apis/events.k8s.io/v1/namespaces/demo/events", accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        XCTAssertEqual(table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue },
                       ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
        let rows = table["rows"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue } ?? []
        XCTAssertEqual(rows.map { Array($0[1...6]) + Array($0[8...9]) }, [
            ["Normal", "Started", "deployment/web", "", "example.com/deployer, deployer-1", "deploying web", .int(2), "web.1"],
            ["Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node1", "Back-off restarting failed container", .int(3), "web.2"],
        ])
        XCTAssertTrue(rows.allSatisfy { $0[0] != "<unknown>" && $0[7] != "<unknown>" }, "\(rows)")

        // A write through events.k8s.io keeps the stored event whole (the deprecated fields too).
        let (patched, _) = await request("PATCH", "/apis/events.k8s.io/v1/namespaces/demo/events/web.2", #"{"metadata":{"labels":{"seen":"yes"}}}"#,
                                         contentType: "application/merge-patch+json")
        XCTAssertEqual(patched, 200)
        let (_, core) = await request("GET", "/api/v1/namespaces/demo/events/web.2")
        XCTAssertEqual(core["metadata"]?["labels"]?["seen"], "yes")
        XCTAssertEqual(core["source"]?["host"], "node1")
        XCTAssertEqual(core["count"], .int(3))
        XCTAssertNil(core["deprecatedSource"])
    }

    func testAWatchThroughEventsV1SeesCoreEventsConverted() async throws {
        let watch = await handler.handle(APIRequest(method: "GET", uri: "/apis/events.k8s.io/v1/namespaces/demo/events?watch=1&fieldSelector=regarding.name%3Dweb",
                                                    user: "admin"))
        guard case .watch(let events) = watch else { return XCTFail("not a watch: \(watch)") }
        var iterator = events.makeAsyncIterator()
        _ = await request("POST", "/api/v1/namespaces/demo/events", Self.coreEvent.replacingOccurrences(of: #""name":"web""#, with: #""name":"db""#)
                                                                             .replacingOccurrences(of: "web.2", with: "db.1"))
        _ = await request("POST", "/api/v1/namespaces/demo/events", Self.coreEvent)
        let added = try await iterator.next()
        XCTAssertEqual(added?["type"], "ADDED")
        XCTAssertEqual(added?["object"]?["apiVersion"], "events.k8s.io/v1")
        XCTAssertEqual(added?["object"]?["metadata"]?["name"], "web.2")
        XCTAssertEqual(added?["object"]?["note"], "Back-off restarting failed container ")
        XCTAssertEqual(added?["object"]?["regarding"]?["kind"], "Pod")
        let (deleted, _) = await request("DELETE", "/api/v1/namespaces/demo/events/web.2")
        XCTAssertEqual(deleted, 200)
        let gone = try await iterator.next()
        XCTAssertEqual(gone?["type"], "DELETED")
        XCTAssertEqual(gone?["object"]?["deprecatedCount"], .int(3))
    }

    func testValidationAsUpstreamsForEachAPI() async throws {
        // events.k8s.io/v1 creates need the new API's fields and none of the old.
        let (status, error) = await request("POST", "/apis/events.k8s.io/v1/namespaces/demo/events",
                                            #"{"metadata":{"name":"bad"},"type":"Info","deprecatedCount":2,"regarding":{"namespace":"demo"}}"#)
        XCTAssertEqual(status, 422)
        XCTAssertEqual(error["reason"], "Invalid")
        XCTAssertEqual(error["message"],
                       #"Event.events.k8s.io "bad" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: Info, count: Invalid value: "": needs to be unset]"#)
        XCTAssertEqual(error["details"]?["group"], "events.k8s.io")
        XCTAssertEqual(error["details"]?["causes"]?.arrayValue?.compactMap { $0["field"]?.stringValue }, ["eventTime", "type", "count"])

        // A new-style event (eventTime set) needs its reporter, action and reason, and a short note.
        let note = String(repeating: "n", count: 1025)
        let (tooLong, invalid) = await request("POST", "/apis/events.k8s.io/v1/namespaces/demo/events",
                                               #"{"metadata":{"name":"bad"},"eventTime":"2026-01-02T03:04:05.000000Z","type":"Normal","reason":"Started","note":"\#(note)"}"#)
        XCTAssertEqual(tooLong, 422)
        XCTAssertEqual(invalid["details"]?["causes"]?.arrayValue?.compactMap { $0["field"]?.stringValue },
                       ["involvedObject.namespace", "reportingController", "reportingController", "reportingController", "reportingInstance", "action", "message"])
        let message = invalid["message"]?.stringValue ?? ""
        XCTAssertTrue(message.hasPrefix(#"Event.events.k8s.io "bad" is invalid: [involvedObject.namespace: Invalid value: "": does not match event.namespace, reportingController: Required value, reportingController: Invalid value: "": name part must be non-empty, "#), message)
        XCTAssertTrue(message.hasSuffix(#"reportingInstance: Required value, action: Required value, message: Invalid value: "": can have at most 1024 characters]"#), message)
        // The same through core/v1 is refused too (legacy validation), but an old-style event is not held to the new API.
        let (coreNewStyle, _) = await request("POST", "/api/v1/namespaces/demo/events",
                                              #"{"metadata":{"name":"bad"},"eventTime":"2026-01-02T03:04:05.000000Z","involvedObject":{"namespace":"demo"}}"#)
        XCTAssertEqual(coreNewStyle, 422)
        let (coreOldStyle, _) = await request("POST", "/api/v1/namespaces/demo/events", Self.coreEvent)
        XCTAssertEqual(coreOldStyle, 201)
        let (mismatch, refused) = await request("POST", "/api/v1/namespaces/demo/events",
                                                #"{"metadata":{"name":"elsewhere"},"involvedObject":{"kind":"Pod","namespace":"other","name":"x"}}"#)
        XCTAssertEqual(mismatch, 422)
        XCTAssertEqual(refused["message"], #"Event "elsewhere" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace"#)
        // An update through events.k8s.io is not a create: the old-style event stays writable there.
        let (updated, _) = await request("PATCH", "/apis/events.k8s.io/v1/namespaces/demo/events/web.2", #"{"note":"changed"}"#,
                                         contentType: "application/merge-patch+json")
        XCTAssertEqual(updated, 200)
    }
}
