import Yams

// YAML to JSON as Kubernetes converts it. Upstream (kubectl, the kubelet's static pod
// reader) turns YAML into JSON with sigs.k8s.io/yaml, which parses with go-yaml v2: YAML
// 1.1 scalar rules, not 1.2. So unquoted `yes`/`no`/`on`/`off`/`y`/`n` are booleans (and a
// boolean where a string belongs is an error, as upstream reports it), `0644` is octal,
// `0x1F` hex, `1_000` a thousand, `1e3` a float (written to JSON as 1000, so it may fill an
// integer field), timestamps stay strings, and non-string map keys become strings. The
// typed decode then happens from that JSON, exactly as upstream decodes.

enum YAMLToJSON {
    struct ConversionError: Error {
        var message: String
    }

    /// Yams resolves implicit tags in place whenever a node is hashed (as its duplicate-key
    /// check does). This resolver maps every implicit scalar to a private tag, so a plain
    /// scalar still reads as untagged afterwards and go-yaml's rules, not Yams', apply.
    static let implicitTag = "tag:swiftlet.dev,2025:implicit"
    static let resolver: Resolver = (try? Resolver.basic.appending(Tag.Name(rawValue: implicitTag), "^")) ?? .basic

    /// Converts one composed YAML document. `budget` bounds the number of values produced,
    /// so an alias bomb fails instead of exhausting memory.
    static func convert(_ node: Node, budget: Int) throws -> JSONValue {
        var remaining = budget
        return try convert(node, remaining: &remaining)
    }

    private static func convert(_ node: Node, remaining: inout Int) throws -> JSONValue {
        remaining -= 1
        if remaining < 0 {
            throw ConversionError(message: "yaml: document contains excessive aliasing")
        }
        switch node {
        case .scalar(let scalar):
            // Upstream writes an integral float as JSON digits ("1000" for 1e3), which then
            // decode into integer fields; an exact integer here has the same effect.
            let value = try resolve(scalar)
            if case .double(let double) = value, let int = Int64(exactly: double) { return .int(int) }
            return value
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0, remaining: &remaining) })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            var merged: [String: JSONValue] = [:]
            for (key, value) in mapping {
                if isMergeKey(key) {
                    // `<<: *base` (or a list of them): keys not set explicitly come from the
                    // merged maps, earlier maps winning over later ones.
                    let sources: [Node]
                    if case .sequence(let list) = value { sources = Array(list) } else { sources = [value] }
                    for source in sources {
                        guard case .object(let members) = try convert(source, remaining: &remaining) else {
                            throw ConversionError(message: "yaml: map merge requires map or sequence of maps as the value")
                        }
                        for (memberKey, memberValue) in members where merged[memberKey] == nil {
                            merged[memberKey] = memberValue
                        }
                    }
                    continue
                }
                object[try keyString(key)] = try convert(value, remaining: &remaining)
            }
            for (key, value) in merged where object[key] == nil {
                object[key] = value
            }
            return .object(object)
        case .alias:
            throw ConversionError(message: "yaml: unknown anchor referenced")
        }
    }

    private static func isMergeKey(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        if scalar.tag.rawValue == Tag.Name.merge.rawValue { return true }
        return scalar.string == "<<" && scalar.style == .plain && isImplicit(scalar.tag)
    }

    private static func isImplicit(_ tag: Tag) -> Bool {
        let name = tag.rawValue
        return name.isEmpty || name == implicitTag || name == "?"
    }

    /// Map keys as sigs.k8s.io/yaml stringifies them: numbers and booleans by their value.
    private static func keyString(_ node: Node) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw ConversionError(message: "yaml: unsupported map key: a \(node.kindName) can not be a JSON object key")
        }
        switch try resolve(scalar) {
        case .string(let string): return string
        case .int(let int): return String(int)
        case .bool(let bool): return bool ? "true" : "false"
        case .double(let double):
            if double.isNaN { return ".nan" }
            if double.isInfinite { return double < 0 ? "-.inf" : ".inf" }
            return "\(Float(double))".replacingDotZero()
        case .null: throw ConversionError(message: "yaml: unsupported map key: null")
        default: throw ConversionError(message: "yaml: unsupported map key: \(scalar.string)")
        }
    }

    /// Resolves a scalar the way go-yaml v2 does for an untyped target.
    static func resolve(_ scalar: Node.Scalar) throws -> JSONValue {
        let text = scalar.string
        let tag = scalar.tag.rawValue
        let plainImplicit = scalar.style == .plain && isImplicit(scalar.tag)
        switch tag {
        case Tag.Name.str.rawValue, Tag.Name.nonSpecific.rawValue:
            return .string(text)
        case Tag.Name.null.rawValue:
            return .null
        case Tag.Name.bool.rawValue, Tag.Name.int.rawValue, Tag.Name.float.rawValue:
            // An explicit tag demands that type.
            let value = resolvePlain(text)
            let wanted = String(tag.split(separator: ":").last ?? "")
            switch (wanted, value) {
            case ("bool", .bool), ("int", .int), ("int", .uint), ("float", .double): return value
            case ("float", .int(let int)): return .double(Double(int))
            default:
                throw ConversionError(message: "yaml: cannot decode \(goQuote(text)) as a !!\(wanted)")
            }
        default:
            guard plainImplicit else { return .string(text) }
            let value = resolvePlain(text)
            if case .double(let double) = value, !double.isFinite {
                throw ConversionError(message: "json: unsupported value: \(goFormatFloat(double))")
            }
            return value
        }
    }

    /// go-yaml v2's resolve table and number rules for a plain scalar.
    static func resolvePlain(_ text: String) -> JSONValue {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
            return .bool(true)
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
            return .bool(false)
        case "", "~", "null", "Null", "NULL":
            return .null
        case ".nan", ".NaN", ".NAN":
            return .double(.nan)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            return .double(-.infinity)
        default:
            break
        }
        guard let first = text.utf8.first else { return .string(text) }
        if first == UInt8(ascii: ".") {
            if isYAMLFloat(text), let double = parseDouble(text) { return .double(double) }
            return .string(text)
        }
        guard isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return .string(text) }
        let plain = String(text.filter { $0 != "_" })
        if let int = parseGoInt(plain) { return .int(int) }
        if let uint = parseGoUint(plain) { return .uint(uint) }
        if isYAMLFloat(plain), let double = parseDouble(plain) { return .double(double) }
        return .string(text)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    static func isYAMLFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let integerDigits = bytes.prefix(while: isDigit).count
        bytes = bytes.dropFirst(integerDigits)
        var fractionDigits = 0
        var hasDot = false
        if bytes.first == UInt8(ascii: ".") {
            hasDot = true
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(fractionDigits)
        }
        // Either digits before the point, or a point followed by digits.
        guard integerDigits > 0 || (hasDot && fractionDigits > 0) else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            let exponentDigits = bytes.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            bytes = bytes.dropFirst(exponentDigits)
        }
        return bytes.isEmpty
    }

    private static func parseDouble(_ text: String) -> Double? {
        // Swift wants a digit on each side of the point: "1." → "1.0", "1.e5" → "1.0e5".
        var normalized = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            normalized.append(character)
            if character == ".", index + 1 == characters.count || !characters[index + 1].isNumber {
                normalized.append("0")
            }
        }
        return Double(normalized)
    }

    /// Go's `strconv.ParseInt(text, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0`
    /// (octal) selects the base.
    static func parseGoInt(_ text: String) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard let magnitude = parseGoMagnitude(digits) else { return nil }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Go's `strconv.ParseUint(text, 0, 64)`: no sign allowed.
    static func parseGoUint(_ text: String) -> UInt64? {
        guard let first = text.first, first != "+", first != "-" else { return nil }
        return parseGoMagnitude(Substring(text))
    }

    private static func parseGoMagnitude(_ text: Substring) -> UInt64? {
        var digits = text
        var radix = 10
        let lower = digits.lowercased()
        if lower.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == "0" {
            radix = 8
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit }) else { return nil }
        return UInt64(digits, radix: radix)
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: return "scalar"
        case .mapping: return "mapping"
        case .sequence: return "sequence"
        case .alias: return "alias"
        }
    }
}

extension String {
    /// `1.0` → `1`, as Go's shortest float formatting prints integral values.
    func replacingDotZero() -> String { hasSuffix(".0") ? String(dropLast(2)) : self }
}
