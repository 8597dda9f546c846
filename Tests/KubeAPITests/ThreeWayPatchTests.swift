import XCTest
@testable import KubeAPI

/// The patch `apply` computes: changes from the live object to the new configuration,
/// deletions of what the user dropped since the last applied one, and nothing else.
final class ThreeWayPatchTests: XCTestCase {
    func patch(_ original: String?, _ modified: String, _ current: String) throws -> String {
        StrategicMerge.threeWayPatch(original: try original.map { try JSONValue.parse($0) }, modified: try JSONValue.parse(modified),
                                     current: try JSONValue.parse(current)).jsonText
    }

    func testOnlyChangesAndTheUsersDeletionsAreSent() throws {
        // The server's own fields (status, a label someone else set) are left alone; `tier` was dropped by the user.
        XCTAssertEqual(try patch(#"{"metadata":{"labels":{"app":"web","tier":"front"}},"spec":{"replicas":2}}"#,
                                 #"{"metadata":{"labels":{"app":"web"}},"spec":{"replicas":3}}"#,
                                 #"{"metadata":{"labels":{"app":"web","tier":"front","owner":"ops"}},"spec":{"replicas":2,"paused":false},"status":{}}"#),
                       #"{"metadata":{"labels":{"tier":null}},"spec":{"replicas":3}}"#)
        XCTAssertEqual(try patch(#"{"a":1}"#, #"{"a":1}"#, #"{"a":1,"b":2}"#), "{}")
    }

    func testMergingListsSendChangedElementsDeletionsAndOrder() throws {
        let original = #"{"spec":{"containers":[{"name":"a","image":"x:1"},{"name":"b","image":"y:1"}]}}"#
        let modified = #"{"spec":{"containers":[{"name":"a","image":"x:2"}]}}"#
        let current = #"{"spec":{"containers":[{"name":"a","image":"x:1","env":[{"name":"E","value":"1"}]},{"name":"b","image":"y:1"}]}}"#
        let result = try patch(original, modified, current)
        XCTAssertEqual(result, #"{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"image":"x:2","name":"a"},{"$patch":"delete","name":"b"}]}}"#)
        // Applied by the server's merge, the out-of-band env var survives and b is gone.
        let applied = StrategicMerge.apply(try JSONValue.parse(current), try JSONValue.parse(result))
        XCTAssertEqual(applied.jsonText, #"{"spec":{"containers":[{"env":[{"name":"E","value":"1"}],"image":"x:2","name":"a"}]}}"#)
    }

    func testPlainListsAreReplacedAndFinalizersMergeAsSets() throws {
        XCTAssertEqual(try patch(nil, #"{"spec":{"args":["a","b"]}}"#, #"{"spec":{"args":["a"]}}"#), #"{"spec":{"args":["a","b"]}}"#)
        XCTAssertEqual(try patch(#"{"metadata":{"finalizers":["x","y"]}}"#, #"{"metadata":{"finalizers":["x","z"]}}"#,
                                 #"{"metadata":{"finalizers":["x","y","w"]}}"#),
                       #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["y"],"finalizers":["z"]}}"#)
    }
}
