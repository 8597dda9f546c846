import Foundation
import KubeAPI
import KubeStore
import XCTest
@testable import APIServer

/// DELETE's semantics through the handler: a pod on a node is deleted gracefully (its
/// kubelet finishes it), and propagationPolicy puts its finalizer on the owner.
final class DeletionTests: HandlerTestCase {
    func pod(_ name: String, node: String?, grace: Int? = nil) -> String {
        let spec = [node.map { #""nodeName":"\#($0)""# }, grace.map { #""terminationGracePeriodSeconds":\#($0)"# },
                    #""containers":[{"name":"c","image":"busybox"}]"#].compactMap { $0 }.joined(separator: ",")
        return #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)"},"spec":{\#(spec)}}"#
    }

    func testAPodOnANodeIsDeletedGracefullyAndOneNowhereAtOnce() async throws {
        let pods = "/api/v1/namespaces/default/pods"
        for body in [pod("bound", node: "n1", grace: 20), pod("free", node: nil)] {
            let (status, _) = await request("POST", pods, body)
            XCTAssertEqual(status, 201)
        }
        var (status, object) = await request("DELETE", "\(pods)/free")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(object["kind"], "Status")
        (status, _) = await request("GET", "\(pods)/free")
        XCTAssertEqual(status, 404)

        (status, object) = await request("DELETE", "\(pods)/bound")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(object["metadata"]?["deletionGracePeriodSeconds"], .int(20))
        let deadline = try XCTUnwrap(object["metadata"]?["deletionTimestamp"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) })
        XCTAssertEqual(deadline.timeIntervalSinceNow, 20, accuracy: 2)
        // A longer grace period does not extend it; a shorter one replaces it.
        (status, object) = await request("DELETE", "\(pods)/bound", #"{"gracePeriodSeconds":60}"#)
        XCTAssertEqual(object["metadata"]?["deletionGracePeriodSeconds"], .int(20))
        (status, object) = await request("DELETE", "\(pods)/bound?gracePeriodSeconds=5")
        XCTAssertEqual(object["metadata"]?["deletionGracePeriodSeconds"], .int(5))
        (status, _) = await request("GET", "\(pods)/bound")
        XCTAssertEqual(status, 200)
        // The kubelet, its containers gone, deletes it for good.
        (status, _) = await request("DELETE", "\(pods)/bound", #"{"gracePeriodSeconds":0}"#)
        XCTAssertEqual(status, 200)
        (status, _) = await request("GET", "\(pods)/bound")
        XCTAssertEqual(status, 404)
    }

    func testPropagationPolicyHoldsTheOwnerWithItsFinalizer() async throws {
        let maps = "/api/v1/namespaces/default/configmaps"
        for name in ["fg", "orphan", "bg"] {
            let (status, _) = await request("POST", maps, #"{"metadata":{"name":"\#(name)"}}"#)
            XCTAssertEqual(status, 201)
        }
        var (status, object) = await request("DELETE", "\(maps)/fg", #"{"propagationPolicy":"Foreground"}"#)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(object["metadata"]?["finalizers"], .array(["foregroundDeletion"]))
        XCTAssertNotNil(object["metadata"]?["deletionTimestamp"])
        (status, object) = await request("DELETE", "\(maps)/orphan?orphanDependents=true")
        XCTAssertEqual(object["metadata"]?["finalizers"], .array(["orphan"]))
        (status, object) = await request("DELETE", "\(maps)/bg", #"{"propagationPolicy":"Background"}"#)
        XCTAssertEqual(object["kind"], "Status")
        (status, _) = await request("GET", "\(maps)/bg")
        XCTAssertEqual(status, 404)
        // The collector removing the finalizer lets the owner go.
        (status, object) = await request("GET", "\(maps)/fg")
        object["metadata"]?["finalizers"] = .array([])
        (status, _) = await request("PUT", "\(maps)/fg", object.jsonText)
        XCTAssertEqual(status, 200)
        (status, _) = await request("GET", "\(maps)/fg")
        XCTAssertEqual(status, 404)
        (status, object) = await request("DELETE", "\(maps)/orphan", #"{"propagationPolicy":"Orphan","orphanDependents":true}"#)
        XCTAssertEqual(status, 422)
        XCTAssertEqual(object["message"]?.stringValue,
                       #"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set"#)
    }
}
