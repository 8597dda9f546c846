import Foundation
import KubeAPI

/// A label selector as `labelSelector=` spells it: `k`, `!k`, `k=v`, `k==v`, `k!=v`,
/// `k in (a,b)`, `k notin (a,b)`, comma-separated, all of which must hold.
struct LabelSelector: Sendable, Equatable {
    enum Requirement: Sendable, Equatable {
        case exists(String)
        case notExists(String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
    }

    var requirements: [Requirement]

    /// A metav1.LabelSelector object (matchLabels, matchExpressions); nil matches nothing,
    /// an empty one everything, as policy/v1 reads a PodDisruptionBudget's selector.
    init?(object: JSONValue?) throws(APIError) {
        guard let object, object != .null else { return nil }
        let text = ResourceType.formatSelector(object)
        try self.init(parsing: text == "<none>" ? "" : text)
    }

    init(parsing text: String) throws(APIError) {
        requirements = []
        for clause in Self.split(text) {
            let part = clause.trimmingCharacters(in: .whitespaces)
            if part.isEmpty { continue }
            if let range = part.range(of: " notin ") ?? part.range(of: " in ") {
                let key = part[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let list = part[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard list.hasPrefix("("), list.hasSuffix(")") else {
                    throw APIError.badRequest("unable to parse requirement: found '\(list)', expected: '('")
                }
                let values = Set(list.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                requirements.append(part[range].contains("notin") ? .notIn(key, values) : .in(key, values))
            } else if let range = part.range(of: "!=") {
                requirements.append(.notIn(String(part[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
                                           [String(part[range.upperBound...]).trimmingCharacters(in: .whitespaces)]))
            } else if let range = part.range(of: "==") ?? part.range(of: "=") {
                requirements.append(.in(String(part[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
                                        [String(part[range.upperBound...]).trimmingCharacters(in: .whitespaces)]))
            } else if part.hasPrefix("!") {
                requirements.append(.notExists(String(part.dropFirst()).trimmingCharacters(in: .whitespaces)))
            } else {
                requirements.append(.exists(part))
            }
        }
        for requirement in requirements {
            let key: String
            switch requirement {
            case .exists(let k), .notExists(let k), .in(let k, _), .notIn(let k, _): key = k
            }
            if let problem = NameValidation.isQualifiedName(key).first {
                throw APIError.badRequest("unable to parse requirement: values[0][\(key)]: Invalid value: \"\(key)\": \(problem)")
            }
        }
    }

    /// Splits on commas outside parentheses.
    private static func split(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 { parts.append(current); current = "" } else { current.append(character) }
        }
        parts.append(current)
        return parts
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .exists(let key): labels[key] != nil
            case .notExists(let key): labels[key] == nil
            case .in(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): labels[key].map { !values.contains($0) } ?? true
            }
        }
    }
}

/// A field selector: `metadata.name`, `metadata.namespace` (every kind upstream) and the
/// kind's own selectable fields, with `=`, `==` or `!=`, comma-separated; it matches the
/// stored form, so its fields are named as the stored kind names them.
struct FieldSelector: Sendable, Equatable {
    var requirements: [(field: String, value: String, equal: Bool)]

    static func == (a: FieldSelector, b: FieldSelector) -> Bool {
        a.requirements.map { "\($0.field)\($0.equal)\($0.value)" } == b.requirements.map { "\($0.field)\($0.equal)\($0.value)" }
    }

    init(parsing text: String, type: ResourceType) throws(APIError) {
        requirements = []
        for part in text.split(separator: ",").map(String.init) where !part.isEmpty {
            let equal: Bool
            let range: Range<String.Index>
            if let r = part.range(of: "!=") { (equal, range) = (false, r) }
            else if let r = part.range(of: "==") ?? part.range(of: "=") { (equal, range) = (true, r) }
            else { throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(part)'") }
            let field = String(part[..<range.lowerBound])
            guard field == "metadata.name" || field == "metadata.namespace" || type.selectableFields.contains(field) else {
                throw APIError.badRequest("\"\(field)\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
            }
            requirements.append((type.storedFieldLabel(field), String(part[range.upperBound...]), equal))
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { requirement in
            var value: JSONValue? = object
            for component in requirement.field.split(separator: ".") { value = value?[String(component)] }
            // An event's `source`: its legacy source's component, or else its reporting controller.
            if requirement.field == "source" {
                value = object["source"]?["component"]
                if (value?.stringValue ?? "").isEmpty { value = object["reportingComponent"] }
            }
            let actual: String
            switch value {
            case .string(let text)?: actual = text
            case .int(let number)?: actual = String(number)
            default: actual = ""
            }
            return (actual == requirement.value) == requirement.equal
        }
    }
}
