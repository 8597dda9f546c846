import Foundation
import KubeAPI
import XCTest
@testable import APIServer

/// The pure parts of the API server: patches, selectors, protobuf bodies, ages.
final class PatchTests: XCTestCase {
    func testMergePatchReplacesRemovesAndRecurses() throws {
        let target = try JSONValue.parse(#"{"data":{"a":"1","b":"2"},"metadata":{"labels":{"x":"y"}},"list":[1,2]}"#)
        let patched = Patch.mergePatch(target, try JSONValue.parse(#"{"data":{"a":null,"c":"3"},"list":[3]}"#))
        XCTAssertEqual(patched.jsonText, #"{"data":{"b":"2","c":"3"},"list":[3],"metadata":{"labels":{"x":"y"}}}"#)
    }

    func testStrategicDirectivesOnMaps() throws {
        let target = try JSONValue.parse(#"{"data":{"a":"1"},"spec":{"x":1,"y":2}}"#)
        let patched = Patch.mergePatch(target, try JSONValue.parse(#"{"data":{"$patch":"delete"},"spec":{"$patch":"replace","z":3}}"#), strategic: true)
        XCTAssertEqual(patched.jsonText, #"{"spec":{"z":3}}"#)
    }

    func testJSONPatchOperationsAndFailures() throws {
        let target = try JSONValue.parse(#"{"data":{"a":"1"},"items":["x","z"]}"#)
        let patch = try JSONValue.parse(#"""
            [{"op":"add","path":"/items/1","value":"y"},{"op":"replace","path":"/data/a","value":"2"},
             {"op":"copy","from":"/data/a","path":"/data/b"},{"op":"move","from":"/data/a","path":"/data/c"},
             {"op":"test","path":"/items/2","value":"z"},{"op":"add","path":"/items/-","value":"w"},
             {"op":"add","path":"/data/k~1v","value":"slash"}]
            """#)
        XCTAssertEqual(try Patch.jsonPatch(target, patch).jsonText, #"{"data":{"b":"2","c":"2","k/v":"slash"},"items":["x","y","z","w"]}"#)
        XCTAssertThrowsError(try Patch.jsonPatch(target, try JSONValue.parse(#"[{"op":"remove","path":"/data/nope"}]"#)))
        XCTAssertThrowsError(try Patch.jsonPatch(target, try JSONValue.parse(#"[{"op":"test","path":"/data/a","value":"9"}]"#)))
        XCTAssertThrowsError(try Patch.jsonPatch(target, try JSONValue.parse(#"[{"op":"replace","path":"/missing","value":1}]"#)))
    }
}

final class SelectorTests: XCTestCase {
    func testLabelSelectorSyntax() throws {
        let selector = try LabelSelector(parsing: "app=web,tier in (a, b),!legacy,env!=prod,owner")
        XCTAssertTrue(selector.matches(["app": "web", "tier": "b", "env": "dev", "owner": "x"]))
        XCTAssertFalse(selector.matches(["app": "web", "tier": "c", "owner": "x"]))
        XCTAssertFalse(selector.matches(["app": "web", "tier": "a", "owner": "x", "legacy": ""]))
        XCTAssertFalse(selector.matches(["app": "web", "tier": "a", "owner": "x", "env": "prod"]))
        XCTAssertTrue(try LabelSelector(parsing: "x notin (1)").matches([:]))
        XCTAssertThrowsError(try LabelSelector(parsing: "bad key!=1"))
    }

    func testFieldSelectorsByKind() throws {
        let event = try JSONValue.parse(#"{"metadata":{"name":"e1","namespace":"demo"},"involvedObject":{"kind":"Pod","name":"web"},"type":"Warning"}"#)
        XCTAssertTrue(try FieldSelector(parsing: "involvedObject.kind=Pod,type!=Normal,metadata.namespace=demo", type: .events).matches(event))
        XCTAssertFalse(try FieldSelector(parsing: "involvedObject.name=db", type: .events).matches(event))
        XCTAssertThrowsError(try FieldSelector(parsing: "involvedObject.kind=Pod", type: .configMaps)) { error in
            XCTAssertEqual((error as? APIError)?.code, 400)
        }
    }
}

final class ProtobufTests: XCTestCase {
    /// What kubectl create configmap sends: the k8s envelope around a ConfigMap message,
    /// built here field by field (generated.proto numbers).
    func testConfigMapFromKubectlsEnvelope() throws {
        func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(bytes.count)] + bytes }
        func string(_ number: UInt8, _ text: String) -> [UInt8] { field(number, Array(text.utf8)) }
        let meta = string(1, "app") + string(2, "") + string(3, "demo") + field(11, string(1, "tier") + string(2, "web"))
        let configMap = field(1, meta) + field(2, string(1, "a") + string(2, "1")) + field(3, string(1, "bin") + field(2, [0, 1]))
        let typeMeta = string(1, "v1") + string(2, "ConfigMap")
        let body = Array("k8s".utf8) + [0] + field(1, typeMeta) + field(2, configMap)
        XCTAssertEqual(try Protobuf.decode(body).jsonText,
                       #"{"apiVersion":"v1","binaryData":{"bin":"AAE="},"data":{"a":"1"},"kind":"ConfigMap","metadata":{"labels":{"tier":"web"},"name":"app","namespace":"demo"}}"#)
        XCTAssertThrowsError(try Protobuf.decode(Array("{}".utf8)))
    }
}

final class TableTests: XCTestCase {
    func testAgeCellFromTheCreationTimestamp() {
        let created = ISO8601DateFormatter().date(from: "2026-11-22T10:00:00Z")!
        XCTAssertEqual(ResourceType.age("2026-11-22T10:00:00Z", now: created.addingTimeInterval(150)), "2m30s")
        XCTAssertEqual(ResourceType.age("2026-11-22T10:00:00Z", now: created.addingTimeInterval(86400 * 3 + 3600 * 4)), "3d4h")
        XCTAssertEqual(ResourceType.age(nil), "<unknown>")
    }
}
