import Foundation
import XCTest

@testable import KubeAPI

final class ManifestTests: XCTestCase {
    private func decodeError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ManifestError? {
        do {
            let objects = try Manifest.decode(text)
            XCTFail("expected an error, decoded \(objects)", file: file, line: line)
            return nil
        } catch let error as ManifestError {
            return error
        } catch {
            XCTFail("unexpected error type: \(error)", file: file, line: line)
            return nil
        }
    }

    private static let minimalPod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers:
          - name: c
            image: busybox
        """

    // MARK: Documents

    func testMultipleDocumentsWithEmptyOnesSkipped() throws {
        let objects = try Manifest.decode(try fixture("static-bundle.yaml"))
        XCTAssertEqual(objects.map(\.kind), ["ConfigMap", "Secret", "Pod"])
        XCTAssertEqual(objects.map(\.metadata.name), ["web-config", "db", "web"])
    }

    func testDocumentNumbersCountEmptyDocuments() {
        let text = """
            ---
            # nothing
            ---
            \(Self.minimalPod)
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: q}
            spec:
              containers:
              - name: c
                ports:
                - containerPort: "80"
            """
        let error = decodeError(text)
        XCTAssertEqual(error?.description, "document 3: spec.containers[0].ports[0].containerPort: expected integer")
        XCTAssertEqual(error?.reason, .invalidField)
        XCTAssertEqual(error?.document, 3)
        XCTAssertEqual(error?.field, "spec.containers[0].ports[0].containerPort")
    }

    func testEmptyInputHasNoObjects() throws {
        XCTAssertEqual(try Manifest.decode(""), [])
        XCTAssertEqual(try Manifest.decode("---\n---\n# just comments\n"), [])
        XCTAssertEqual(try Manifest.decode(Data()), [])
    }

    func testUnsupportedKindNamesTheDocument() {
        let text = Self.minimalPod + "\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
        let error = decodeError(text)
        XCTAssertEqual(error?.reason, .unsupportedKind)
        XCTAssertEqual(error?.description,
                       "document 2: unsupported kind \"Deployment\" in apiVersion \"apps/v1\"; supported: v1 Pod, v1 ConfigMap, v1 Secret")
        XCTAssertEqual(decodeError("apiVersion: apps/v1\nkind: Pod\n")?.reason, .unsupportedKind, "Pod lives in v1 only")
    }

    func testMissingTypeInformation() {
        XCTAssertEqual(decodeError("metadata: {name: x}\n")?.description, "document 1: apiVersion not set, kind not set")
        XCTAssertEqual(decodeError("apiVersion: v1\n")?.description, "document 1: kind not set")
        XCTAssertEqual(decodeError("- a\n- b\n")?.description, "document 1: expected an object, got an array")
        XCTAssertEqual(decodeError("just text\n")?.description, "document 1: expected an object, got a string")
    }

    func testMalformedYAMLReportsTheLine() {
        let error = decodeError("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: b\n")
        XCTAssertEqual(error?.reason, .syntax)
        XCTAssertEqual(error?.document, 1)
        XCTAssertTrue(error?.message.hasPrefix("yaml: line 5") == true, error?.description ?? "")
        XCTAssertTrue(error?.message.contains("mapping values are not allowed") == true, error?.description ?? "")

        let second = decodeError(Self.minimalPod + "\n---\nkind: [unclosed\n")
        XCTAssertEqual(second?.reason, .syntax)
        XCTAssertEqual(second?.document, 2)
    }

    func testDuplicateKeysAreRejected() {
        let error = decodeError("apiVersion: v1\nkind: Pod\nkind: ConfigMap\n")
        XCTAssertEqual(error?.reason, .syntax)
        XCTAssertTrue(error?.message.contains("duplicate key \"kind\"") == true, error?.description ?? "")
    }

    // MARK: JSON

    func testJSONDocument() throws {
        let objects = try Manifest.decode(try fixture("pod.json"))
        XCTAssertEqual(objects.map(\.metadata.name), ["json-pod"])
    }

    func testJSONStream() throws {
        let text = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v {with} \\" braces"}}
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"},"data":{"k":"dg=="}}
            """
        let objects = try Manifest.decode(text)
        XCTAssertEqual(objects.map(\.kind), ["ConfigMap", "Secret"])
        guard case .configMap(let configMap) = objects[0], case .secret(let secret) = objects[1] else {
            return XCTFail("\(objects)")
        }
        XCTAssertEqual(configMap.data, ["k": "v {with} \" braces"])
        XCTAssertEqual(secret.data, ["k": Data("v".utf8)])
    }

    func testJSONStringEscapes() throws {
        let text = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"e"},"data":{"k":"caf\u00e9 \ud83d\ude00 \"q\" \/ \t"}}"#
        guard case .configMap(let configMap) = try XCTUnwrap(try Manifest.decode(text).first) else { return XCTFail() }
        XCTAssertEqual(configMap.data?["k"], "café 😀 \"q\" / \t")
        XCTAssertEqual(decodeError("{\"a\": \"tab\there\"}")?.description,
                       "document 1: invalid JSON: line 1, column 11: invalid character '\\t' in string literal")
    }

    func testInvalidUTF8() {
        XCTAssertThrowsError(try Manifest.decode(Data([0x6B, 0x3A, 0x20, 0xFF, 0xFE]))) { error in
            XCTAssertEqual((error as? ManifestError)?.description, "manifest is not valid UTF-8")
        }
    }

    func testMalformedJSON() {
        XCTAssertEqual(decodeError("{\"apiVersion\": \"v1\",")?.description,
                       "document 1: invalid JSON: line 1, column 21: unexpected end of JSON input")
        XCTAssertEqual(decodeError("{\"apiVersion\": \"v1\",\n \"kind\": \"Pod\", \"spec\": {\"containers\": [1,]}}")?.description,
                       "document 1: invalid JSON: line 2, column 43: invalid character ']' looking for beginning of value")
        let stream = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}} {"kind": 'x'}"#
        XCTAssertEqual(decodeError(stream)?.description,
                       "document 2: invalid JSON: line 1, column 73: invalid character '\\'' looking for beginning of value")
        XCTAssertEqual(decodeError(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}} 42"#)?.description,
                       "document 2: expected an object, got a number")
        XCTAssertEqual(decodeError(#"{"apiVersion": 1, "kind": "Pod"}"#)?.description, "document 1: apiVersion: expected string")
    }

    func testJSONTypeErrorsHavePaths() {
        let error = decodeError(#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","image":"i","stdin":"yes"}]}}"#)
        XCTAssertEqual(error?.description, "document 1: spec.containers[0].stdin: expected boolean")
        let null = decodeError(#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":[null]}}"#)
        XCTAssertEqual(null?.description, "document 1: spec.containers[0]: expected object, got null")
        let secret = decodeError(#"{"apiVersion":"v1","kind":"Secret","data":{"k":"not base64!"}}"#)
        XCTAssertEqual(secret?.description, "document 1: data: illegal base64 data in value of key \"k\"")
    }

    // MARK: YAML 1.1 scalars, as go-yaml v2 reads them upstream

    func testYAML11BooleansAreNotStrings() {
        // Upstream: "json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string".
        let env = decodeError(Self.minimalPod + "\n    env:\n    - name: DEBUG\n      value: yes\n")
        XCTAssertEqual(env?.description, "document 1: spec.containers[0].env[0].value: expected string")
        let label = decodeError(Self.minimalPod.replacingOccurrences(of: "{name: p, namespace: default}",
                                                                     with: "{name: p, labels: {enabled: on}}"))
        XCTAssertEqual(label?.description, "document 1: metadata.labels.enabled: expected string")
        // Even a one-letter name: `n` is false in YAML 1.1.
        let name = decodeError("apiVersion: v1\nkind: Pod\nmetadata: {name: n}\n")
        XCTAssertEqual(name?.description, "document 1: metadata.name: expected string")
    }

    func testYAML11BooleansAsBooleans() throws {
        let pod = try decodePod(Self.minimalPod + "\n    stdin: y\n    tty: Yes\n  hostNetwork: off\n")
        XCTAssertEqual(pod.spec.containers[0].stdin, true)
        XCTAssertEqual(pod.spec.containers[0].tty, true)
        XCTAssertEqual(pod.spec.hostNetwork, false)
    }

    func testQuotedScalarsStayStrings() throws {
        let pod = try decodePod(Self.minimalPod + "\n    env:\n    - {name: A, value: \"yes\"}\n    - {name: B, value: '0644'}\n    - {name: C, value: \"~\"}\n")
        XCTAssertEqual(pod.spec.containers[0].env?.map(\.value), ["yes", "0644", "~"])
    }

    func testYAML11Numbers() throws {
        let pod = try decodePod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: numbers}
            spec:
              terminationGracePeriodSeconds: 1_000
              activeDeadlineSeconds: 0x1F
              containers:
              - name: c
                image: i
                ports:
                - containerPort: 8e1
              volumes:
              - name: a
                secret: {secretName: s, defaultMode: 0600}
              - name: b
                configMap: {name: c, defaultMode: 0o755}
              - name: d
                downwardAPI: {defaultMode: 0b110100100}
            """)
        XCTAssertEqual(pod.spec.terminationGracePeriodSeconds, 1000)
        XCTAssertEqual(pod.spec.activeDeadlineSeconds, 31)
        XCTAssertEqual(pod.spec.containers[0].ports?.first?.containerPort, 80, "an integral float fills an integer field")
        XCTAssertEqual(pod.spec.volumes?[0].secret?.defaultMode, 0o600)
        XCTAssertEqual(pod.spec.volumes?[1].configMap?.defaultMode, 0o755)
        XCTAssertEqual(pod.spec.volumes?[2].downwardAPI?.defaultMode, 0o644)
    }

    func testNumbersMustFitTheField() {
        XCTAssertEqual(decodeError(Self.minimalPod + "\n    ports:\n    - containerPort: 80.5\n")?.description,
                       "document 1: spec.containers[0].ports[0].containerPort: expected integer")
        XCTAssertEqual(decodeError(Self.minimalPod + "\n    ports:\n    - containerPort: 99999999999\n")?.description,
                       "document 1: spec.containers[0].ports[0].containerPort: number 99999999999 overflows Int32")
        XCTAssertEqual(decodeError(Self.minimalPod + "\n    livenessProbe: {tcpSocket: {port: 1.5}}\n")?.description,
                       "document 1: spec.containers[0].livenessProbe.tcpSocket.port: expected integer or string")
        // JSON is taken as written: a float literal is no integer, even when integral.
        XCTAssertEqual(decodeError(#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","ports":[{"containerPort":80.0}]}]}}"#)?.description,
                       "document 1: spec.containers[0].ports[0].containerPort: expected integer")
        // Integral but beyond Int64: an error naming the field, not a trap in the formatter.
        XCTAssertEqual(decodeError(Self.minimalPod + "\n    ports:\n    - containerPort: 1e20\n")?.description,
                       "document 1: spec.containers[0].ports[0].containerPort: expected integer")
        let quantity = decodeError(Self.minimalPod + "\n    resources: {limits: {cpu: lots}}\n")
        XCTAssertEqual(quantity?.field, "spec.containers[0].resources.limits.cpu")
        XCTAssertEqual(quantity?.reason, .invalidField)
    }

    func testNonStringKeysBecomeStrings() throws {
        let pod = try decodePod(Self.minimalPod.replacingOccurrences(
            of: "{name: p, namespace: default}", with: "{name: p, annotations: {1: one, true: yes-text, 2.5: x}}"))
        XCTAssertEqual(pod.metadata.annotations, ["1": "one", "true": "yes-text", "2.5": "x"])
    }

    func testTimestampsStayStrings() throws {
        let pod = try decodePod(Self.minimalPod + "\n    env:\n    - {name: WHEN, value: 2024-05-01}\n")
        XCTAssertEqual(pod.spec.containers[0].env?.first?.value, "2024-05-01")
    }

    func testAnchorsAndMergeKeys() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            metadata: {name: m}
            spec:
              containers:
              - &base
                name: one
                image: busybox
                command: [sleep, "3600"]
              - <<: *base
                name: two
            """
        let pod = try decodePod(text)
        XCTAssertEqual(pod.spec.containers.map(\.name), ["one", "two"])
        XCTAssertEqual(pod.spec.containers[1].image, "busybox")
        XCTAssertEqual(pod.spec.containers[1].command, ["sleep", "3600"])
    }

    /// Hostile nesting is an error, not a stack overflow, even on a thread with a small
    /// stack (1 MiB here; Linux threads get 8 MiB by default).
    func testDeepNestingIsAnErrorNotACrash() {
        let depth = 100_000
        let json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"x\":" + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}"
        let yaml = "apiVersion: v1\nkind: Pod\nx: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        for (name, text) in [("json", json), ("yaml", yaml)] {
            let done = expectation(description: name)
            let outcome = LockedOutcome()
            let thread = Thread {
                do { _ = try Manifest.decode(text); outcome.set("decoded") } catch { outcome.set("\(error)") }
                done.fulfill()
            }
            thread.stackSize = 1 << 20
            thread.start()
            wait(for: [done], timeout: 60)
            XCTAssertTrue(outcome.value.contains("exceeded max depth"), "\(name): \(outcome.value.prefix(200))")
        }
        // Just under the limits, block and flow style, still decode on the small stack.
        var block = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx:\n"
        for level in 1..<Manifest.maxNesting { block += String(repeating: " ", count: level * 2) + "a:\n" }
        block += String(repeating: " ", count: Manifest.maxNesting * 2) + "b: 1\n"
        let flow = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: " + String(repeating: "[", count: Manifest.maxNesting - 1)
            + String(repeating: "]", count: Manifest.maxNesting - 1) + "\n"
        for (name, text) in [("block", block), ("flow", flow)] {
            let done = expectation(description: name)
            let outcome = LockedOutcome()
            let thread = Thread {
                do { outcome.set("\(try Manifest.decode(text).count)") } catch { outcome.set("\(error)") }
                done.fulfill()
            }
            thread.stackSize = 1 << 20
            thread.start()
            wait(for: [done], timeout: 60)
            XCTAssertEqual(outcome.value, "1", name)
        }
    }

    func testAliasBombIsRefused() {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nanchors:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            text += "  a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let error = decodeError(text)
        XCTAssertEqual(error?.description, "document 1: yaml: document contains excessive aliasing")
    }

    // MARK: Conversion details

    func testGoIntegerParsing() {
        XCTAssertEqual(YAMLToJSON.resolvePlain("0644"), .int(420))
        XCTAssertEqual(YAMLToJSON.resolvePlain("-0x10"), .int(-16))
        XCTAssertEqual(YAMLToJSON.resolvePlain("+12"), .int(12))
        XCTAssertEqual(YAMLToJSON.resolvePlain("9223372036854775808"), .uint(9_223_372_036_854_775_808))
        XCTAssertEqual(YAMLToJSON.resolvePlain("08"), .double(8), "not octal, but a YAML float")
        XCTAssertEqual(YAMLToJSON.resolvePlain(".5"), .double(0.5))
        XCTAssertEqual(YAMLToJSON.resolvePlain("1."), .double(1))
        XCTAssertEqual(YAMLToJSON.resolvePlain("1.2.3"), .string("1.2.3"))
        XCTAssertEqual(YAMLToJSON.resolvePlain("0x"), .string("0x"))
        XCTAssertEqual(YAMLToJSON.resolvePlain("NULL"), .null)
        XCTAssertEqual(YAMLToJSON.resolvePlain("True"), .bool(true))
        XCTAssertEqual(YAMLToJSON.resolvePlain("nope"), .string("nope"))
        XCTAssertEqual(JSONValue.double(1000).jsonText, "1000")
        XCTAssertEqual(JSONValue.double(0.25).jsonText, "0.25")
        XCTAssertEqual(JSONValue.object(["b": .array([.null, .bool(true)]), "a": .string("q\"\n\u{1}")]).jsonText,
                       #"{"a":"q\"\n\u0001","b":[null,true]}"#)
    }
}

private final class LockedOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return text }
}
