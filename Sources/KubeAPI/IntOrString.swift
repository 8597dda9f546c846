// IntOrString: a field that holds either an int32 or a string (k8s.io/apimachinery/pkg/util/
// intstr, v1.32), such as a port given by number or by name, or a count given as "25%".

public enum IntOrString: Hashable, Sendable, CustomStringConvertible {
    case int(Int32)
    case string(String)

    /// Upstream Parse: an int32 if the text is one, else the string.
    public init(parsing text: String) {
        if let value = Int32(text) {
            self = .int(value)
        } else {
            self = .string(text)
        }
    }

    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .string(let value): value
        }
    }

    /// Upstream GetScaledValueFromIntOrPercent: an int is returned as is; a string must be
    /// an integer followed by "%", and is that percentage of `total`, rounded up or down.
    public func scaledValue(total: Int, roundUp: Bool) throws(IntOrStringError) -> Int {
        switch self {
        case .int(let value):
            return Int(value)
        case .string(let text):
            let utf8 = text.utf8
            guard utf8.last == UInt8(ascii: "%") else {
                throw IntOrStringError("invalid value for IntOrString: invalid type: string is not a percentage")
            }
            let number = utf8.dropLast()
            let percent: Int
            switch atoi(number) {
            case .success(let value):
                percent = value
            case .failure(let reason):
                let quotedNumber = goQuote(String(decoding: number, as: UTF8.self))
                throw IntOrStringError(
                    "invalid value for IntOrString: invalid value \(goQuote(text)): "
                        + "strconv.Atoi: parsing \(quotedNumber): \(reason.rawValue)")
            }
            // Upstream computes in float64 and converts without a range check.
            let scaled = Double(percent) * Double(total) / 100
            return Int(exactly: roundUp ? scaled.rounded(.up) : scaled.rounded(.down)) ?? Int.min
        }
    }
}

/// Why `IntOrString.scaledValue` failed; `description` is upstream's error text.
public struct IntOrStringError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    fileprivate init(_ description: String) { self.description = description }
}

extension IntOrString: Codable {
    /// A number is an int, a string a string, as upstream UnmarshalJSON. The int is tried
    /// first because YAMLDecoder would also read `80` as the string "80" (and so reads a
    /// quoted "80" as an int: decode YAML via JSON where that difference matters).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int32.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.typeMismatch(
                IntOrString.self,
                .init(codingPath: container.codingPath, debugDescription: "expected an int32 or a string"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

private enum AtoiFailure: String, Error {
    case syntax = "invalid syntax"
    case range = "value out of range"
}

/// Go's strconv.Atoi on a 64-bit platform: [+-]digits; the first problem found left to
/// right decides the error, as upstream scans.
private func atoi(_ text: Substring.UTF8View) -> Result<Int, AtoiFailure> {
    var digits = text[...]
    var negative = false
    if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
        negative = first == UInt8(ascii: "-")
        digits = digits.dropFirst()
    }
    if digits.isEmpty { return .failure(.syntax) }
    var magnitude: UInt64 = 0
    var overflow = false
    for c in digits {
        guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else {
            return .failure(overflow ? .range : .syntax)
        }
        if !overflow {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            overflow = o1 || o2
            magnitude = sum
        }
    }
    if overflow { return .failure(.range) }
    if negative {
        guard magnitude <= Int.min.magnitude else { return .failure(.range) }
        return .success(Int(truncatingIfNeeded: 0 &- magnitude))
    }
    guard magnitude <= UInt64(Int.max) else { return .failure(.range) }
    return .success(Int(magnitude))
}
