import Foundation

/// A type with a Go zero value: what a Go struct field holds when its JSON key is absent
/// or null.
public protocol GoZeroValue {
    static var goZero: Self { get }
}

extension String: GoZeroValue { public static var goZero: String { "" } }
extension Bool: GoZeroValue { public static var goZero: Bool { false } }
extension Int32: GoZeroValue { public static var goZero: Int32 { 0 } }
extension Int64: GoZeroValue { public static var goZero: Int64 { 0 } }
extension Array: GoZeroValue { public static var goZero: [Element] { [] } }
extension IntOrString: GoZeroValue { public static var goZero: IntOrString { .int(0) } }
/// Go's zero time, 0001-01-01T00:00:00Z.
extension Time: GoZeroValue { public static var goZero: Time { Time(secondsSince1970: -62_135_596_800) } }

/// A field that upstream serializes without `omitempty`: a missing or null key decodes as
/// the Go zero value (so validation, not decoding, reports it, as upstream does), and the
/// key is always written.
@propertyWrapper
public struct ZeroIfAbsent<Value: Codable & Hashable & Sendable & GoZeroValue>: Codable, Hashable, Sendable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? .goZero : try container.decode(Value.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// Chosen by synthesized `init(from:)` for `@ZeroIfAbsent` properties: an absent key is
    /// the zero value rather than `keyNotFound`.
    public func decode<Value>(_ type: ZeroIfAbsent<Value>.Type, forKey key: Key) throws -> ZeroIfAbsent<Value> {
        try decodeIfPresent(type, forKey: key) ?? ZeroIfAbsent(wrappedValue: .goZero)
    }
}

/// A point in time as Kubernetes serializes it (`metav1.Time`): RFC 3339 in UTC with
/// second precision, e.g. `2024-05-01T12:00:00Z`. Decoding accepts fractional seconds and
/// numeric offsets, as Go's `time.Parse(time.RFC3339, …)` does.
public struct Time: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since the Unix epoch (fractions are dropped on encoding, as upstream does).
    public var secondsSince1970: Double

    public init(secondsSince1970: Double) { self.secondsSince1970 = secondsSince1970 }
    public init(_ date: Date) { secondsSince1970 = date.timeIntervalSince1970 }
    public static func now() -> Time { Time(Date()) }

    public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }

    public static func < (lhs: Time, rhs: Time) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    public init(rfc3339 text: String) throws {
        guard let seconds = Time.parseRFC3339(text) else {
            throw TimeParseError(text: text)
        }
        secondsSince1970 = seconds
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let seconds = Time.parseRFC3339(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an RFC 3339 time, got \(goQuote(text))")
        }
        secondsSince1970 = seconds
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        let whole = Int64(secondsSince1970.rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = Time.civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    static func parseRFC3339(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var position = 0
        func number(_ width: Int) -> Int64? {
            guard position + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[position..<position + width] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            position += width
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            var scale = 0.1
            let start = position
            while position < bytes.count, isDigit(bytes[position]) {
                fraction += Double(bytes[position] - UInt8(ascii: "0")) * scale
                scale /= 10
                position += 1
            }
            guard position > start else { return nil }
        }
        var offset: Int64 = 0
        if expect("Zz") {
            offset = 0
        } else if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard position == bytes.count else { return nil }
        let days = days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Double(seconds) + fraction
    }

    // Howard Hinnant's days-from-civil and civil-from-days, proleptic Gregorian.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

public struct TimeParseError: Error, CustomStringConvertible, Sendable {
    public var text: String
    public var description: String { "expected an RFC 3339 time, got \(goQuote(text))" }
}

/// A string-valued API enumeration that stays open: unknown values decode (so validation
/// can report them as unsupported, as upstream does) and re-encode unchanged.
public protocol KubeStringEnum: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible, GoZeroValue where RawValue == String
{
    init(rawValue: String)
}

extension KubeStringEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static var goZero: Self { Self(rawValue: "") }

    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
