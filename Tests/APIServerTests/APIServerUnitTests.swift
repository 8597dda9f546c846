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
        let patched = StrategicMerge.apply(target, try JSONValue.parse(#"{"data":{"$patch":"delete"},"spec":{"$patch":"replace","z":3}}"#))
        XCTAssertEqual(patched.jsonText, #"{"spec":{"z":3}}"#)
    }

    /// What `kubectl apply` sends when one container's image changes and a port is
    /// dropped: containers merge by name, ports by containerPort, env by name; a list
    /// without a merge key (args) is replaced.
    func testStrategicMergeListsByTheirMergeKeys() throws {
        let target = try JSONValue.parse(#"""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"web","image":"web:1","args":["a"],"ports":[{"containerPort":80},{"containerPort":443}],"env":[{"name":"A","value":"1"}]},
              {"name":"log","image":"log:1"}]}}},
             "metadata":{"finalizers":["x"],"labels":{"app":"web"}}}
            """#)
        let patch = try JSONValue.parse(#"""
            {"metadata":{"finalizers":["y"]},
             "spec":{"template":{"spec":{
               "$setElementOrder/containers":[{"name":"log"},{"name":"web"}],
               "containers":[{"name":"web","image":"web:2","args":["b"],
                              "ports":[{"containerPort":443,"$patch":"delete"}],
                              "env":[{"name":"B","value":"2"}]}]}}}}
            """#)
        XCTAssertEqual(StrategicMerge.apply(target, patch).jsonText, #"""
            {"metadata":{"finalizers":["x","y"],"labels":{"app":"web"}},"spec":{"template":{"spec":{"containers":[\#
            {"image":"log:1","name":"log"},\#
            {"args":["b"],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"web:2","name":"web","ports":[{"containerPort":80}]}]}}}}
            """#)
    }

    func testStrategicListReplaceDeletePrimitivesAndRetainKeys() throws {
        let target = try JSONValue.parse(#"""
            {"metadata":{"finalizers":["a","b"]},"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}],
             "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}
            """#)
        let patch = try JSONValue.parse(#"""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]},
             "spec":{"ports":[{"port":8080,"name":"alt"},{"$patch":"replace"}],
                     "strategy":{"$retainKeys":["type"],"type":"Recreate"}}}
            """#)
        XCTAssertEqual(StrategicMerge.apply(target, patch).jsonText,
                       #"{"metadata":{"finalizers":["b"]},"spec":{"ports":[{"name":"alt","port":8080}],"strategy":{"type":"Recreate"}}}"#)
        // A Service's ports merge by port; an Endpoints' subsets have no key and are replaced.
        let service = StrategicMerge.apply(target, try JSONValue.parse(#"{"spec":{"ports":[{"port":80,"name":"web"}]}}"#))
        XCTAssertEqual(service["spec"]?["ports"]?.jsonText, #"[{"name":"web","port":80},{"name":"https","port":443}]"#)
        let endpoints = StrategicMerge.apply(try JSONValue.parse(#"{"subsets":[{"ports":[{"port":1}]}]}"#),
                                             try JSONValue.parse(#"{"subsets":[{"ports":[{"port":2}]}]}"#))
        XCTAssertEqual(endpoints.jsonText, #"{"subsets":[{"ports":[{"port":2}]}]}"#)
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
        XCTAssertEqual(translateTimestampSince("2026-11-22T10:00:00Z", now: created.addingTimeInterval(150)), "2m30s")
        XCTAssertEqual(translateTimestampSince("2026-11-22T10:00:00.123456Z", now: created.addingTimeInterval(150)), "2m30s")  // a MicroTime
        XCTAssertEqual(translateTimestampSince("2026-11-22T10:00:00Z", now: created.addingTimeInterval(86400 * 3 + 3600 * 4)), "3d4h")
        XCTAssertEqual(ResourceType.age(nil), "<unknown>")
    }

    func cells(_ type: ResourceType, _ json: String) throws -> [String] {
        let object = try JSONValue.parse(json)
        return (type.cells?(object) ?? type.columns.map { $0.cell?(object) ?? "" }).map { $0.stringValue ?? $0.jsonText }
    }

    func testWorkloadServiceAndNodeCellsAsKubectlPrintsThem() throws {
        XCTAssertEqual(try cells(.deployments, #"""
            {"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]},
             "template":{"spec":{"containers":[{"name":"a","image":"x:1"},{"name":"b","image":"y:2"}]}}},
             "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}
            """#), ["2/3", "3", "2", "<unknown>", "a,b", "x:1,y:2", "app=web,tier in (a,b)"])
        XCTAssertEqual(try cells(.services, #"""
            {"spec":{"type":"NodePort","clusterIP":"10.43.0.10","selector":{"app":"web"},
             "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}}
            """#), ["NodePort", "10.43.0.10", "<none>", "80:30080/TCP,53/UDP", "<unknown>", "app=web"])
        XCTAssertEqual(try cells(.nodes, #"""
            {"metadata":{"labels":{"node-role.kubernetes.io/control-plane":""}},"spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"10.0.0.5"}],
                       "nodeInfo":{"kubeletVersion":"v1.32.0+swiftlet","osImage":"Debian GNU/Linux 12 (bookworm)","kernelVersion":"6.1.0",
                                   "containerRuntimeVersion":"swiftlet://0.1"}}}
            """#), ["Ready,SchedulingDisabled", "control-plane", "<unknown>", "v1.32.0+swiftlet", "10.0.0.5", "<none>",
                    "Debian GNU/Linux 12 (bookworm)", "6.1.0", "swiftlet://0.1"])
        XCTAssertEqual(try cells(.pods, #"""
            {"metadata":{"name":"web"},"spec":{"containers":[{"name":"a","image":"x"}],"nodeName":"node1"},
             "status":{"phase":"Running","podIP":"10.42.0.5","containerStatuses":[{"name":"a","ready":true,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}}
            """#), ["1/1", "Running", "0", "<unknown>", "10.42.0.5", "node1", "<none>", "<none>"])
        XCTAssertEqual(ObjectRegistry.scale(.deployments, try JSONValue.parse(#"""
            {"metadata":{"name":"web","namespace":"demo","resourceVersion":"7"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}}},"status":{"replicas":2}}
            """#)).jsonText,
            #"{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web","namespace":"demo","resourceVersion":"7"},"spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}}"#)
    }
}
