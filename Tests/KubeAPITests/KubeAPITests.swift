import Foundation
import XCTest

@testable import KubeAPI

/// Reads a file from Tests/KubeAPITests/Fixtures.
func fixture(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Data {
    let url = try XCTUnwrap(
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
        "missing fixture \(name)", file: file, line: line)
    return try Data(contentsOf: url)
}

/// Decodes a manifest that must hold exactly one pod.
func decodePod(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) throws -> Pod {
    let objects = try Manifest.decode(yaml)
    guard objects.count == 1, case .pod(let pod) = objects[0] else {
        XCTFail("expected one pod, got \(objects)", file: file, line: line)
        throw CocoaError(.coderReadCorrupt)
    }
    return pod
}

/// Compact JSON with sorted keys, for exact comparisons.
func canonicalJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
