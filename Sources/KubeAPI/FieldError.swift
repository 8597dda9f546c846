// Field paths and field-level validation errors, formatted exactly as Kubernetes'
// k8s.io/apimachinery/pkg/util/validation/field package formats them, so that what
// `kubectl` shows for our API server and our kubelet reads like upstream's.

/// The path from an object's root to one of its fields: `spec.containers[0].image`,
/// `metadata.labels[app]`. Values are cheap to copy; each builder call returns a new path.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    public enum Element: Hashable, Sendable {
        /// A named field: printed as `.name` (or `name` first).
        case field(String)
        /// A list index: printed as `[3]`.
        case index(Int)
        /// A map key: printed as `[key]`, without quoting, as upstream does.
        case key(String)
    }

    public private(set) var elements: [Element]

    /// The empty path; `FieldPath().child("spec")` prints `spec`.
    public init() { elements = [] }

    /// A path of field names: `FieldPath("spec", "containers")`.
    public init(_ first: String, _ rest: String...) {
        elements = [.field(first)] + rest.map(Element.field)
    }

    public init(elements: [Element]) { self.elements = elements }

    public func child(_ name: String, _ more: String...) -> FieldPath {
        FieldPath(elements: elements + [.field(name)] + more.map(Element.field))
    }

    public func index(_ index: Int) -> FieldPath {
        FieldPath(elements: elements + [.index(index)])
    }

    public func key(_ key: String) -> FieldPath {
        FieldPath(elements: elements + [.key(key)])
    }

    public var isEmpty: Bool { elements.isEmpty }

    public var description: String {
        var out = ""
        for element in elements {
            switch element {
            case .field(let name):
                if !out.isEmpty { out += "." }
                out += name
            case .index(let index):
                out += "[\(index)]"
            case .key(let key):
                out += "[\(key)]"
            }
        }
        return out
    }
}

/// The offending value carried by a `FieldError`, printed the way upstream's `%v`/`%q`
/// formatting prints the Go value it would hold.
public enum BadValue: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    /// Printed Go-quoted: `"Foo"`.
    case string(String)
    /// Printed as a plain number.
    case int(Int64)
    case double(Double)
    case bool(Bool)
    /// A Go nil; upstream prints it as the quoted string `"null"`.
    case null
    /// Printed verbatim, for values upstream prints through `String()` (quantities,
    /// resource names) or `%#v` (structs).
    case literal(String)
    /// Upstream's `omitValue`: the message carries no value at all.
    case omitted

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value as upstream's `ErrorBody` prints it.
    public var formatted: String {
        switch self {
        case .string(let string): return goQuote(string)
        case .int(let int): return String(int)
        case .double(let double): return goFormatFloat(double)
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return goQuote("null")
        case .literal(let text): return text
        case .omitted: return ""
        }
    }
}

/// One field-level validation error: `spec.containers[0].image: Required value`.
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Upstream's `field.ErrorType`; the raw value is the machine-readable reason that
    /// appears in a Status's `details.causes[].reason`.
    public enum Kind: String, Hashable, Sendable {
        case notFound = "FieldValueNotFound"
        case required = "FieldValueRequired"
        case duplicate = "FieldValueDuplicate"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case `internal` = "InternalError"
        case typeInvalid = "FieldValueTypeInvalid"

        /// The human-readable prefix of the message.
        public var title: String {
            switch self {
            case .notFound: return "Not found"
            case .required: return "Required value"
            case .duplicate: return "Duplicate value"
            case .invalid, .typeInvalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .internal: return "Internal error"
            }
        }
    }

    public var kind: Kind
    /// The printed field path, e.g. `spec.containers[0].image`.
    public var field: String
    public var badValue: BadValue
    public var detail: String

    public init(kind: Kind, field: FieldPath, badValue: BadValue, detail: String) {
        self.kind = kind
        self.field = field.description
        self.badValue = badValue
        self.detail = detail
    }

    /// The message without the field name (upstream's `ErrorBody`), as it appears in a
    /// Status cause's `message`.
    public var body: String {
        var text: String
        switch kind {
        case .required, .forbidden, .tooLong, .internal:
            text = kind.title
        default:
            if badValue == .omitted {
                text = kind.title
            } else {
                text = "\(kind.title): \(badValue.formatted)"
            }
        }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    public var description: String { "\(field): \(body)" }

    // MARK: Constructors named after upstream's.

    public static func required(_ path: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: path, badValue: .string(""), detail: detail)
    }

    public static func notFound(_ path: FieldPath, _ value: BadValue) -> FieldError {
        FieldError(kind: .notFound, field: path, badValue: value, detail: "")
    }

    public static func duplicate(_ path: FieldPath, _ value: BadValue) -> FieldError {
        FieldError(kind: .duplicate, field: path, badValue: value, detail: "")
    }

    public static func invalid(_ path: FieldPath, _ value: BadValue, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: path, badValue: value, detail: detail)
    }

    public static func invalid(_ path: FieldPath, _ value: String, _ detail: String) -> FieldError {
        invalid(path, .string(value), detail)
    }

    public static func invalid<I: BinaryInteger>(_ path: FieldPath, _ value: I, _ detail: String) -> FieldError {
        invalid(path, .int(Int64(clamping: value)), detail)
    }

    /// `Unsupported value: "X": supported values: "A", "B"`.
    public static func notSupported(_ path: FieldPath, _ value: BadValue, supported: [String]) -> FieldError {
        let detail = supported.isEmpty
            ? "" : "supported values: " + supported.map(goQuote).joined(separator: ", ")
        return FieldError(kind: .notSupported, field: path, badValue: value, detail: detail)
    }

    public static func notSupported(_ path: FieldPath, _ value: String, supported: [String]) -> FieldError {
        notSupported(path, .string(value), supported: supported)
    }

    public static func forbidden(_ path: FieldPath, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: path, badValue: .string(""), detail: detail)
    }

    /// `Too long: may not be more than N bytes`; a negative `maxLength` is left out.
    public static func tooLong(_ path: FieldPath, maxLength: Int) -> FieldError {
        let detail = maxLength >= 0 ? "may not be more than \(maxLength) bytes" : "value is too long"
        return FieldError(kind: .tooLong, field: path, badValue: .string("<value omitted>"), detail: detail)
    }

    /// `Too many: 5: must have at most 3 items`; negative counts are left out.
    public static func tooMany(_ path: FieldPath, actual: Int, max: Int) -> FieldError {
        let detail = max >= 0 ? "must have at most \(max) items" : "has too many items"
        let value: BadValue = actual >= 0 ? .int(Int64(actual)) : .omitted
        return FieldError(kind: .tooMany, field: path, badValue: value, detail: detail)
    }

    public static func `internal`(_ path: FieldPath, _ detail: String) -> FieldError {
        FieldError(kind: .internal, field: path, badValue: .null, detail: detail)
    }
}

/// An ordered list of field errors, printed as upstream prints the aggregate it turns
/// into: one message alone, several as `[a, b]`, duplicates removed.
public struct FieldErrorList: Error, Hashable, Sendable, CustomStringConvertible, RandomAccessCollection,
    ExpressibleByArrayLiteral
{
    public private(set) var errors: [FieldError]

    public init(_ errors: [FieldError] = []) { self.errors = errors }
    public init(arrayLiteral elements: FieldError...) { errors = elements }

    public var startIndex: Int { errors.startIndex }
    public var endIndex: Int { errors.endIndex }
    public subscript(position: Int) -> FieldError { errors[position] }

    public mutating func append(_ error: FieldError) { errors.append(error) }
    public mutating func append(contentsOf other: some Sequence<FieldError>) { errors.append(contentsOf: other) }

    /// Each distinct message once, in order.
    public var messages: [String] {
        var seen = Set<String>()
        return errors.map(\.description).filter { seen.insert($0).inserted }
    }

    public var description: String {
        let unique = messages
        switch unique.count {
        case 0: return ""
        case 1: return unique[0]
        default: return "[" + unique.joined(separator: ", ") + "]"
        }
    }
}

/// Quotes a string as Go's `strconv.Quote` does, which is how upstream prints string
/// values in field errors (and Go's %q in error texts, the downward API's maps):
/// printable characters stay, the rest become escapes.
public func goQuote(_ string: String) -> String {
    var out = "\""
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            if isGoPrintable(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x80 {
                out += "\\x" + hex(scalar.value, width: 2)
            } else if scalar.value < 0x10000 {
                out += "\\u" + hex(scalar.value, width: 4)
            } else {
                out += "\\U" + hex(scalar.value, width: 8)
            }
        }
    }
    return out + "\""
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
private func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .privateUse, .surrogate, .unassigned,
        .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}

private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Go's `%v` for a float64: as its JSON form (integral values below 1e21 as plain digits,
/// which `Int64(_:)` would trap on above 2^63), and NaN/±Inf, which JSON cannot hold.
func goFormatFloat(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    return JSONValue.goJSONNumber(value)
}
