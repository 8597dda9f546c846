import Foundation
import KubeAPI

/// The patch formats of PATCH: JSON merge patch (RFC 7386) and JSON patch (RFC 6902);
/// strategic merge patch is StrategicMerge.
enum Patch {
    static func mergePatch(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in changes {
            result[key] = value == .null ? nil : mergePatch(result[key] ?? .null, value)
        }
        return .object(result)
    }

    struct Failure: Error { var message: String }

    static func jsonPatch(_ target: JSONValue, _ operations: JSONValue) throws(Failure) -> JSONValue {
        guard case .array(let list) = operations else { throw Failure(message: "invalid JSON patch: not an array of operations") }
        var document = target
        for operation in list {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw Failure(message: "invalid JSON patch operation: \(operation.jsonText)")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add": document = try set(document, pointer, try value(operation), insert: true)
            case "replace":
                _ = try get(document, pointer)
                document = try set(document, pointer, try value(operation), insert: false)
            case "remove": document = try remove(document, pointer)
            case "test":
                guard try get(document, pointer) == (try value(operation)) else {
                    throw Failure(message: "testing value \(path) failed: test failed")
                }
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else { throw Failure(message: "missing 'from' in \(op) operation") }
                let source = try parsePointer(from)
                let moved = try get(document, source)
                if op == "move" { document = try remove(document, source) }
                document = try set(document, pointer, moved, insert: true)
            default: throw Failure(message: "Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func value(_ operation: JSONValue) throws(Failure) -> JSONValue {
        guard let value = operation["value"] else { throw Failure(message: "missing value in operation \(operation.jsonText)") }
        return value
    }

    private static func parsePointer(_ path: String) throws(Failure) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw Failure(message: "invalid JSON pointer \"\(path)\"") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ document: JSONValue, _ pointer: [String]) throws(Failure) -> JSONValue {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw Failure(message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"") }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else {
                    throw Failure(message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"")
                }
                current = items[index]
            default: throw Failure(message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"")
            }
        }
        return current
    }

    private static func set(_ document: JSONValue, _ pointer: [String], _ value: JSONValue, insert: Bool) throws(Failure) -> JSONValue {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty { members[token] = value } else {
                guard let child = members[token] else { throw Failure(message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"") }
                members[token] = try set(child, rest, value, insert: insert)
            }
            return .object(members)
        case .array(var items):
            if rest.isEmpty {
                if token == "-" { items.append(value); return .array(items) }
                guard let index = Int(token), index >= 0, index <= items.count, insert || index < items.count else {
                    throw Failure(message: "unable to access invalid index: \(token)")
                }
                if insert { items.insert(value, at: index) } else { items[index] = value }
            } else {
                guard let index = Int(token), items.indices.contains(index) else { throw Failure(message: "unable to access invalid index: \(token)") }
                items[index] = try set(items[index], rest, value, insert: insert)
            }
            return .array(items)
        default: throw Failure(message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"")
        }
    }

    private static func remove(_ document: JSONValue, _ pointer: [String]) throws(Failure) -> JSONValue {
        guard let token = pointer.first else { throw Failure(message: "cannot remove the whole document") }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            guard let child = members[token] else { throw Failure(message: "Unable to remove nonexistent key: \(token): missing value") }
            members[token] = rest.isEmpty ? nil : try remove(child, rest)
            return .object(members)
        case .array(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw Failure(message: "unable to access invalid index: \(token)") }
            if rest.isEmpty { items.remove(at: index) } else { items[index] = try remove(items[index], rest) }
            return .array(items)
        default: throw Failure(message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"")
        }
    }
}
