// Quantity: Kubernetes' fixed-point resource amount (k8s.io/apimachinery/pkg/api/resource,
// v1.32), parsed, compared, rounded and printed as upstream does, quirks included.
//
// Grammar: <signedNumber><suffix>, suffix one of binary SI (Ki Mi Gi Ti Pi Ei), decimal SI
// (n u m "" k M G T P E) or a decimal exponent (e/E and a signed integer). A quantity keeps
// the format family it was written in and prints in the canonical form of that family:
// no fractional digits, the largest suffix that loses nothing ("1.5Gi" → "1536Mi",
// "1000m" → "1", "0.5" → "500m"). Binary quantities that are not whole numbers, or lie
// strictly between -1024 and 1024, print as decimal SI.
//
// Like upstream we hold a value either as an Int64 scaled by a power of ten (the fast path)
// or as an arbitrary-precision decimal (upstream's inf.Dec). The choice is visible —
// value/scaledValue round negative fractions and overflow differently on each path — so
// we keep both rather than normalising.
//
// Foundation is imported only to decode JSON numbers wider than Int64 (Decimal).
import Foundation

/// A quantity string that does not parse; `description` is upstream's error text.
public struct QuantityError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    private init(_ description: String) { self.description = description }

    /// Upstream ErrFormatWrong.
    public static let formatWrong = QuantityError(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    /// Upstream ErrSuffix.
    public static let suffix = QuantityError("unable to parse quantity's suffix")
    /// Upstream ErrNumeric: a suffix with no digits on the slow path, e.g. "Ei" or ".Ei".
    public static let numeric = QuantityError("unable to parse numeric part of quantity")
}

public struct Quantity: Sendable {
    public enum Format: String, Hashable, Sendable {
        case binarySI = "BinarySI"  // 12Mi = 12 × 2^20
        case decimalSI = "DecimalSI"  // 12M = 12 × 10^6
        case decimalExponent = "DecimalExponent"  // 12e6
    }

    /// The value is mantissa × 10^exponent on both paths.
    private enum Amount: Sendable {
        case int(Int64, exponent: Int32)
        case dec(BigInt, exponent: Int32)
    }

    private var amount: Amount
    public private(set) var format: Format
    /// The input text when it was already canonical: upstream prints it back verbatim, so
    /// "+1" stays "+1" and "1.500" stays "1.500".
    private var text: String?

    private init(_ amount: Amount, _ format: Format, text: String? = nil) {
        self.amount = amount
        self.format = format
        self.text = text
    }

    /// Zero (upstream `Quantity{}`); adding to it adopts the other operand's format.
    public init() { self.init(.int(0, exponent: 0), .decimalSI) }

    /// `value` in `format` (upstream NewQuantity).
    public init(_ value: Int64, format: Format) { self.init(.int(value, exponent: 0), format) }

    /// `value` thousandths in `format` (upstream NewMilliQuantity).
    public init(milli value: Int64, format: Format) { self.init(.int(value, exponent: -3), format) }

    /// `value` × 10^`scale` (upstream NewScaledQuantity, which is always decimal SI).
    public init(scaled value: Int64, scale: Int, format: Format = .decimalSI) {
        self.init(.int(value, exponent: Int32(clamping: scale)), format)
    }
}

// MARK: - Parsing

extension Quantity {
    /// Parses `<signedNumber><suffix>` exactly as upstream ParseQuantity, including what it
    /// tolerates: "-", "." and "Ki" are zero, "1." is one. Values are rounded up (away from
    /// zero) to a multiple of 1n; binary SI values are capped at 2^63-1.
    public init(parsing string: String) throws(QuantityError) {
        let bytes = Array(string.utf8)
        if bytes.isEmpty { throw .formatWrong }
        if string == "0" {
            self.init(.int(0, exponent: 0), .decimalSI, text: string)
            return
        }
        let parts = try Self.scan(bytes)
        guard let (base, exponent, format) = Self.interpret(suffix: parts.suffix) else { throw .suffix }

        // Fast path: the digits fit an Int64 and the value is a multiple of 1n.
        var precision: Int
        var scale: Int32
        var multiplier: Int64 = 1
        switch format {
        case .decimalSI, .decimalExponent:
            scale = exponent
            precision = 18 - (parts.num.count + parts.denom.count)
        case .binarySI:
            scale = 0
            if parts.denom.isEmpty {
                multiplier = 1 << Int64(exponent)
                // 2^10 costs about three decimal digits of headroom.
                precision = 15 - parts.num.count - Int(exponent) * 3 / 10 - 1
            } else {
                precision = -1
            }
        }
        if precision >= 0 {
            scale = scale &- Int32(truncatingIfNeeded: parts.denom.count)
            if scale >= -9 {
                let shifted = Array(parts.num) + Array(parts.denom)
                guard let digits = Self.parseDigits(shifted) else { throw .numeric }
                let (product, overflow) = digits.multipliedReportingOverflow(by: multiplier)
                if !overflow {
                    let value = parts.positive ? product : -product
                    let canonical: Bool
                    switch format {
                    case .binarySI:
                        // Not a multiple of 8, so not of 1024: no larger suffix fits.
                        canonical = exponent % 10 == 0 && digits & 7 != 0
                    case .decimalSI, .decimalExponent:
                        canonical = scale % 3 == 0 && shifted.first != UInt8(ascii: "0")
                            && !shifted.suffix(3).elementsEqual("000".utf8)
                    }
                    self.init(.int(value, exponent: scale), format, text: canonical ? string : nil)
                    return
                }
            }
        }

        // Slow path: an arbitrary-precision decimal, as upstream's inf.Dec.
        guard var (mantissa, exponent10) = Self.parseDecimal(parts.value) else { throw .numeric }
        if base == 10 {
            exponent10 = exponent10 &+ exponent
        } else {
            mantissa.multiply(byPowerOf2: Int(exponent))
        }
        let negative = mantissa.isNegative
        mantissa = mantissa.magnitude
        var resultFormat = format
        if !mantissa.isZero {
            // Round up to a whole number of nanos: asking for a little gets you some.
            if exponent10 < -9 {
                let (quotient, exact) = mantissa.dividedByPowerOf10(-9 - Int(exponent10))
                mantissa = exact ? quotient : quotient + BigInt(1)
                exponent10 = -9
            } else if exponent10 > -9 && Int(exponent10) + 9 <= Self.maxUpscale {
                mantissa.multiply(byPowerOf10: Int(exponent10) + 9)
                exponent10 = -9
            }
        }
        if format == .binarySI {
            if Self.compare(mantissa, Int(exponent10), BigInt(Int64.max), 0) > 0 {
                mantissa = BigInt(Int64.max)
                exponent10 = 0
            }
            if !mantissa.isZero && Self.compare(mantissa, Int(exponent10), BigInt(1), 0) < 0 {
                resultFormat = .decimalSI
            }
        }
        if negative { mantissa.negate() }
        self.init(.dec(mantissa, exponent: exponent10), resultFormat)
    }

    /// Upstream stores slow-path values in nanos. For absurd exponents ("1…9e999999999")
    /// that would take gigabytes, so beyond this many digits we keep the value as written;
    /// only the overflowed result of `value` for such a number can differ from upstream.
    private static let maxUpscale = 4096

    private struct Parts {
        var positive = true
        var value: ArraySlice<UInt8> = []  // sign, integer digits and fraction, as written
        var num: ArraySlice<UInt8> = []  // integer digits without leading zeros, or "0"
        var denom: ArraySlice<UInt8> = []  // fraction digits
        var suffix: ArraySlice<UInt8> = []
    }

    private static let zeroDigit: ArraySlice<UInt8> = [0x30]

    /// Upstream's hand-written scanner; looser than its error message's regular expression.
    private static func scan(_ s: [UInt8]) throws(QuantityError) -> Parts {
        var parts = Parts()
        let end = s.count
        var pos = 0
        if s[0] == UInt8(ascii: "-") {
            parts.positive = false
            pos = 1
        } else if s[0] == UInt8(ascii: "+") {
            pos = 1
        }
        while pos < end && s[pos] == UInt8(ascii: "0") { pos += 1 }
        if pos == end {
            parts.num = zeroDigit
            parts.value = zeroDigit
            return parts
        }
        var i = pos
        while i < end && isDigit(s[i]) { i += 1 }
        parts.num = s[pos..<i]
        if i == end {
            parts.value = s[...]
            return parts
        }
        if parts.num.isEmpty { parts.num = zeroDigit }
        pos = i
        if s[pos] == UInt8(ascii: ".") {
            pos += 1
            i = pos
            while i < end && isDigit(s[i]) { i += 1 }
            parts.denom = s[pos..<i]
            if i == end {
                parts.value = s[...]
                return parts
            }
            pos = i
        }
        parts.value = s[0..<pos]

        let suffixStart = pos
        i = pos
        while i < end && "eEinumkKMGTP".utf8.contains(s[i]) { i += 1 }
        if i == end {
            parts.suffix = s[suffixStart...]
            return parts
        }
        pos = i
        if s[pos] == UInt8(ascii: "-") || s[pos] == UInt8(ascii: "+") { pos += 1 }
        i = pos
        while i < end && isDigit(s[i]) { i += 1 }
        guard i == end else { throw .formatWrong }
        parts.suffix = s[suffixStart...]
        return parts
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// (base, exponent, format) of a suffix.
    private static func interpret(suffix: ArraySlice<UInt8>) -> (Int, Int32, Format)? {
        switch String(decoding: suffix, as: UTF8.self) {
        case "": return (10, 0, .decimalSI)
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        default:
            guard suffix.count > 1, let first = suffix.first,
                first == UInt8(ascii: "e") || first == UInt8(ascii: "E"),
                let exponent = parseInt64(suffix.dropFirst())
            else { return nil }
            // Upstream narrows the int64 to int32 without a check.
            return (10, Int32(truncatingIfNeeded: exponent), .decimalExponent)
        }
    }

    /// Go's strconv.ParseInt(s, 10, 64): optional sign, at least one digit, in range.
    private static func parseInt64(_ s: ArraySlice<UInt8>) -> Int64? {
        var digits = s
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var magnitude: UInt64 = 0
        for c in digits {
            guard isDigit(c) else { return nil }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(c - 0x30))
            guard !o1, !o2 else { return nil }
            magnitude = sum
        }
        if negative {
            return magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Up to 18 ASCII digits as an Int64.
    private static func parseDigits(_ digits: [UInt8]) -> Int64? {
        guard digits.count <= 18 else { return nil }
        var value: Int64 = 0
        for c in digits {
            guard isDigit(c) else { return nil }
            value = value * 10 + Int64(c - 0x30)
        }
        return value
    }

    /// inf.Dec's SetString for what the scanner lets through: [sign] digits [. digits].
    /// Returns the signed digits and minus the number of fraction digits; nil without digits.
    private static func parseDecimal(_ s: ArraySlice<UInt8>) -> (BigInt, Int32)? {
        var rest = s
        var negative = false
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        let point = rest.firstIndex(of: UInt8(ascii: "."))
        let whole = point.map { rest[..<$0] } ?? rest
        let fraction = point.map { rest[rest.index(after: $0)...] } ?? []
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        var value = BigInt(digits: whole)
        value.multiply(byPowerOf10: fraction.count)
        value = value + BigInt(digits: fraction)
        if negative { value.negate() }
        return (value, 0 &- Int32(truncatingIfNeeded: fraction.count))
    }
}

extension Quantity: ExpressibleByStringLiteral {
    /// For literals in code, like upstream MustParse: an invalid literal is a programming error.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure("cannot parse '\(value)': \(error)")
        }
    }
}

// MARK: - Accessors

extension Quantity {
    public var isZero: Bool {
        switch amount {
        case .int(let v, _): v == 0
        case .dec(let m, _): m.isZero
        }
    }

    /// -1, 0 or 1.
    public var sign: Int {
        switch amount {
        case .int(let v, _): Int(v.signum())
        case .dec(let m, _): m.signum
        }
    }

    /// The value rounded up to an integer (upstream Value()); see `scaledValue`.
    public var value: Int64 { scaledValue(0) }

    /// The value in thousandths, rounded up (upstream MilliValue()); see `scaledValue`.
    public var milliValue: Int64 { scaledValue(-3) }

    /// The value in units of 10^`scale`, rounded up (upstream ScaledValue). As upstream, an
    /// overflowed result is garbage (0, or the product wrapped), and the rounding of a negative
    /// fraction depends on how the value is held: away from zero on the Int64 path ("-1.5" →
    /// -2), truncated and then one more on the decimal path ("-0.0000000001" → 1). Results
    /// that fit are exact.
    public func scaledValue(_ scale: Int) -> Int64 {
        let scale = Int(Int32(clamping: scale))
        switch amount {
        case .int(let v, let e):
            if Int(e) < scale { return Self.scaleDown(v, scale - Int(e)).value }
            return Self.positiveScale(v, Int(e) - scale).value
        case .dec(let m, let e):
            return Self.decimalScaledValue(m, exponent: Int(e), scale: scale)
        }
    }

    /// v × 10^n, nil on overflow.
    private static func scaleUp(_ v: Int64, _ n: Int) -> Int64? {
        let (value, fits) = positiveScale(v, n)
        return fits ? value : nil
    }

    /// Upstream positiveScaleInt64, whose overflowed value scaledValue returns: the
    /// wrapped product for the factors it special-cases (10, 100, 1000, 10^6, 10^9), else 0.
    private static func positiveScale(_ v: Int64, _ n: Int) -> (value: Int64, fits: Bool) {
        switch n {
        case 0:
            return (v, true)
        case 1, 2, 3, 6, 9:
            if v == .min { return (0, false) }
            let (product, overflow) = v.multipliedReportingOverflow(by: pow10(n))
            return (product, !overflow)
        default:
            if v == 0 { return (0, true) }
            var result = v
            for _ in 0..<n {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return (0, false) }
                result = product
            }
            return (result, true)
        }
    }

    /// v ÷ 10^n rounded away from zero (upstream negativeScaleInt64).
    private static func scaleDown(_ v: Int64, _ n: Int) -> (value: Int64, exact: Bool) {
        var result = v
        var fraction = false
        for _ in 0..<n {
            if result % 10 != 0 { fraction = true }
            result /= 10
            if result == 0 { break }
        }
        if fraction { result += v > 0 ? 1 : -1 }
        return (result, !fraction)
    }

    /// Upstream scaledValue over a big.Int, its Int64() truncation and float powers included.
    private static func decimalScaledValue(_ m: BigInt, exponent: Int, scale: Int) -> Int64 {
        let shift = scale - exponent
        if shift == 0 { return m.truncatedInt64 }
        if shift < 0 {
            // int64(math.Pow10(n)) is exact to 10^18; beyond, amd64 gives the minimum int64.
            let power = -shift <= 18 ? pow10(-shift) : Int64.min
            return m.truncatedInt64 &* power
        }
        if shift < 19 && compare(m, 0, BigInt(Int64.max), 0) < 0 {
            // Truncating division plus one: upstream's bug for negative fractions.
            let v = m.truncatedInt64
            let divisor = pow10(shift)
            return v % divisor != 0 ? v / divisor &+ 1 : v / divisor
        }
        var (quotient, exact) = m.dividedByPowerOf10(shift)
        if exact { return quotient.truncatedInt64 }
        if m.isNegative { quotient = quotient + BigInt(-1) }  // Euclidean division floors
        return quotient.truncatedInt64 &+ 1
    }

    private static func pow10(_ n: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<n { result *= 10 }
        return result
    }
}

// MARK: - Arithmetic

extension Quantity {
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        var difference = lhs
        difference -= rhs
        return difference
    }

    /// Upstream Add: exact; a zero left operand adopts the right one's format.
    public static func += (lhs: inout Quantity, rhs: Quantity) {
        lhs.text = nil
        if case .int(let a, let ea) = lhs.amount, case .int(let b, let eb) = rhs.amount {
            if a == 0 { lhs.format = rhs.format }
            if let sum = addInt(a, ea, b, eb) {
                lhs.amount = sum
                return
            }
        } else if lhs.isZero {
            lhs.format = rhs.format
        }
        lhs.amount = addDecimal(lhs.decimal, rhs.decimal)
    }

    /// Upstream Sub: exact; a zero left operand adopts the right one's format.
    public static func -= (lhs: inout Quantity, rhs: Quantity) {
        lhs.text = nil
        if lhs.isZero { lhs.format = rhs.format }
        // Upstream negates the Int64 with wrap-around before adding.
        if case .int(let a, let ea) = lhs.amount, case .int(let b, let eb) = rhs.amount,
            let difference = addInt(a, ea, 0 &- b, eb)
        {
            lhs.amount = difference
            return
        }
        let (m, e) = rhs.decimal
        lhs.amount = addDecimal(lhs.decimal, (-m, e))
    }

    /// Upstream Neg.
    public static prefix func - (operand: Quantity) -> Quantity {
        var negated = operand
        negated.text = nil
        switch operand.amount {
        case .int(let v, let e): negated.amount = .int(0 &- v, exponent: e)
        case .dec(let m, let e): negated.amount = .dec(-m, exponent: e)
        }
        return negated
    }

    /// Upstream int64Amount.Add: nil when the result does not fit.
    private static func addInt(_ a: Int64, _ ea: Int32, _ b: Int64, _ eb: Int32) -> Amount? {
        if b == 0 { return .int(a, exponent: ea) }
        if a == 0 { return .int(b, exponent: eb) }
        let exponent = min(ea, eb)
        guard let x = scaleUp(a, Int(ea) - Int(exponent)), let y = scaleUp(b, Int(eb) - Int(exponent)) else {
            return nil
        }
        let (sum, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : .int(sum, exponent: exponent)
    }

    /// inf.Dec's Add: aligned to the smaller exponent.
    private static func addDecimal(_ a: (BigInt, Int32), _ b: (BigInt, Int32)) -> Amount {
        let exponent = min(a.1, b.1)
        var x = a.0, y = b.0
        x.multiply(byPowerOf10: Int(a.1) - Int(exponent))
        y.multiply(byPowerOf10: Int(b.1) - Int(exponent))
        return .dec(x + y, exponent: exponent)
    }

    private var decimal: (BigInt, Int32) {
        switch amount {
        case .int(let v, let e): (BigInt(v), e)
        case .dec(let m, let e): (m, e)
        }
    }
}

// MARK: - Comparison

extension Quantity: Comparable, Hashable {
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { compare(lhs.amount, rhs.amount) == 0 }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { compare(lhs.amount, rhs.amount) < 0 }

    /// Hashes the value alone, so 1Gi, 1024Mi and 1073741824 hash alike.
    public func hash(into hasher: inout Hasher) {
        var (m, e) = decimal
        if m.isZero {
            hasher.combine(0)
            return
        }
        let zeros = m.removeTrailingZeros(base: 10)
        hasher.combine(m.isNegative)
        hasher.combine(Int(e) + zeros)
        hasher.combine(m.magnitudeLimbs)
    }

    private static func compare(_ x: Amount, _ y: Amount) -> Int {
        if case .int(let a, let ea) = x, case .int(let b, let eb) = y {
            let exponent = min(ea, eb)
            if let a = scaleUp(a, Int(ea) - Int(exponent)), let b = scaleUp(b, Int(eb) - Int(exponent)) {
                return a == b ? 0 : (a < b ? -1 : 1)
            }
        }
        let (a, ea): (BigInt, Int32) =
            switch x {
            case .int(let v, let e): (BigInt(v), e)
            case .dec(let m, let e): (m, e)
            }
        let (b, eb): (BigInt, Int32) =
            switch y {
            case .int(let v, let e): (BigInt(v), e)
            case .dec(let m, let e): (m, e)
            }
        return compare(a, Int(ea), b, Int(eb))
    }

    /// Compares a × 10^ea with b × 10^eb without building numbers far apart in magnitude.
    private static func compare(_ a: BigInt, _ ea: Int, _ b: BigInt, _ eb: Int) -> Int {
        if a.signum != b.signum { return a.signum < b.signum ? -1 : 1 }
        if a.isZero { return 0 }
        let orderA = a.decimalDigitCount + ea
        let orderB = b.decimalDigitCount + eb
        let result: Int
        if orderA != orderB {
            result = orderA < orderB ? -1 : 1
        } else {
            // Same order of magnitude, so the exponents differ by at most the digit counts.
            let exponent = min(ea, eb)
            var x = a, y = b
            x.multiply(byPowerOf10: ea - exponent)
            y.multiply(byPowerOf10: eb - exponent)
            result = BigInt.compareMagnitudes(x, y)
        }
        return a.isNegative ? -result : result
    }
}

// MARK: - Printing

extension Quantity: CustomStringConvertible {
    /// The canonical form (upstream String()), or the input when that was already canonical.
    public var description: String { text ?? canonical }

    private var canonical: String {
        if isZero { return "0" }
        var format = format
        if format == .binarySI {
            if Self.compare(amount, .int(-1024, exponent: 0)) > 0 && Self.compare(amount, .int(1024, exponent: 0)) < 0 {
                format = .decimalSI
            } else if let whole = wholeValue {
                return Self.binaryString(whole)
            } else {
                format = .decimalSI  // printing in binary would lose the fraction
            }
        }
        var (m, e) = decimal
        var exponent = Int(e) + m.removeTrailingZeros(base: 10)
        // Down to a multiple of three, for the SI suffixes.
        let excess = (exponent % 3 + 3) % 3
        m.multiply(byPowerOf10: excess)
        exponent -= excess
        switch format {
        case .decimalExponent:
            return exponent == 0 ? m.description : "\(m)e\(exponent)"
        case .decimalSI, .binarySI:
            // Upstream prints no suffix at all past E ("1000E" → "1"); we do the same.
            let suffixes = [-9: "n", -6: "u", -3: "m", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
            return m.description + (suffixes[exponent] ?? "")
        }
    }

    /// The value if it is a whole number.
    private var wholeValue: BigInt? {
        var (m, e) = decimal
        if e >= 0 {
            m.multiply(byPowerOf10: Int(e))
            return m
        }
        let (quotient, exact) = m.dividedByPowerOf10(-Int(e))
        return exact ? quotient : nil
    }

    private static func binaryString(_ whole: BigInt) -> String {
        var m = whole
        let powers = m.removeTrailingZeros(base: 1024)
        // Past Ei upstream prints no suffix, as for decimal SI.
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        return m.description + (powers < suffixes.count ? suffixes[powers] : "")
    }
}

// MARK: - Coding

extension Quantity: Codable {
    /// A JSON or YAML string, trimmed of white space; or a number, as upstream UnmarshalJSON
    /// accepts (`cpu: 2`); null is zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self.init()
            return
        }
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let decimal = try? container.decode(Decimal.self) {
            text = decimal.description  // exact to 38 digits, unlike Double
        } else if let double = try? container.decode(Double.self), double.isFinite {
            text = double.description
        } else {
            throw DecodingError.typeMismatch(
                Quantity.self,
                .init(codingPath: container.codingPath, debugDescription: "a quantity must be a string or a number"))
        }
        // Upstream trims (strings.TrimSpace) before parsing; ParseQuantity itself does not.
        let scalars = text.unicodeScalars
        let trimmed =
            if let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
                let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
            { String(scalars[first...last]) } else { "" }
        do {
            try self.init(parsing: trimmed)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Always a string, in canonical form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - Arbitrary precision

extension Quantity {
    /// A signed integer of any size: just what the decimal path needs.
    fileprivate struct BigInt: Sendable, CustomStringConvertible {
        private(set) var isNegative = false
        /// The magnitude in base 2^32, least significant first, without high zero limbs.
        private var limbs: [UInt32] = []

        init(_ value: Int64) {
            isNegative = value < 0
            var m = value.magnitude
            while m != 0 {
                limbs.append(UInt32(truncatingIfNeeded: m))
                m >>= 32
            }
        }

        /// `digits` must be ASCII decimal digits.
        init(digits: some Collection<UInt8>) {
            var chunk: UInt32 = 0
            var chunkScale: UInt32 = 1
            for d in digits {
                chunk = chunk * 10 + UInt32(d &- 0x30)
                chunkScale *= 10
                if chunkScale == 1_000_000_000 {
                    multiply(by: chunkScale, adding: chunk)
                    (chunk, chunkScale) = (0, 1)
                }
            }
            if chunkScale > 1 { multiply(by: chunkScale, adding: chunk) }
        }

        var isZero: Bool { limbs.isEmpty }
        var signum: Int { isZero ? 0 : (isNegative ? -1 : 1) }
        var magnitude: BigInt {
            var m = self
            m.isNegative = false
            return m
        }
        var magnitudeLimbs: [UInt32] { limbs }

        /// Go's big.Int.Int64(): the low 64 bits of the magnitude, then the sign.
        var truncatedInt64: Int64 {
            var low = UInt64(limbs.first ?? 0)
            if limbs.count > 1 { low |= UInt64(limbs[1]) << 32 }
            let v = Int64(bitPattern: low)
            return isNegative ? 0 &- v : v
        }

        var decimalDigitCount: Int { magnitude.description.utf8.count }

        mutating func negate() { if !isZero { isNegative.toggle() } }

        static prefix func - (x: BigInt) -> BigInt {
            var y = x
            y.negate()
            return y
        }

        private mutating func normalize() {
            while limbs.last == 0 { limbs.removeLast() }
            if limbs.isEmpty { isNegative = false }
        }

        mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
            var carry = UInt64(addend)
            for i in limbs.indices {
                let product = UInt64(limbs[i]) * UInt64(factor) + carry
                limbs[i] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry != 0 { limbs.append(UInt32(carry)) }
            normalize()
        }

        /// Divides the magnitude, truncating; returns the remainder of the magnitude.
        mutating func divide(by divisor: UInt32) -> UInt32 {
            var remainder: UInt64 = 0
            for i in limbs.indices.reversed() {
                let current = remainder << 32 | UInt64(limbs[i])
                limbs[i] = UInt32(current / UInt64(divisor))
                remainder = current % UInt64(divisor)
            }
            normalize()
            return UInt32(remainder)
        }

        mutating func multiply(byPowerOf10 n: Int) {
            var n = n
            while n > 0 && !isZero {
                let k = min(n, 9)
                multiply(by: Self.powersOf10[k])
                n -= k
            }
        }

        mutating func multiply(byPowerOf2 n: Int) {
            var n = n
            while n > 0 && !isZero {
                let k = min(n, 31)
                multiply(by: 1 << UInt32(k))
                n -= k
            }
        }

        /// Truncating division by 10^n, and whether it was exact.
        func dividedByPowerOf10(_ n: Int) -> (BigInt, exact: Bool) {
            // 10^10 > 2^32, so beyond this the quotient is zero.
            if n > limbs.count * 10 { return (BigInt(0), isZero) }
            var quotient = self
            var exact = true
            var n = n
            while n > 0 {
                let k = min(n, 9)
                if quotient.divide(by: Self.powersOf10[k]) != 0 { exact = false }
                n -= k
            }
            return (quotient, exact)
        }

        /// Divides out `base` while it divides evenly; returns how many times.
        mutating func removeTrailingZeros(base: UInt32) -> Int {
            var count = 0
            while !isZero {
                var quotient = self
                if quotient.divide(by: base) != 0 { break }
                self = quotient
                count += 1
            }
            return count
        }

        static func compareMagnitudes(_ a: BigInt, _ b: BigInt) -> Int {
            if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
            for i in a.limbs.indices.reversed() where a.limbs[i] != b.limbs[i] {
                return a.limbs[i] < b.limbs[i] ? -1 : 1
            }
            return 0
        }

        static func + (a: BigInt, b: BigInt) -> BigInt {
            var result = BigInt(0)
            if a.isNegative == b.isNegative {
                result.limbs = addMagnitudes(a.limbs, b.limbs)
                result.isNegative = a.isNegative
            } else {
                switch compareMagnitudes(a, b) {
                case 0: return result
                case 1:
                    result.limbs = subtractMagnitudes(a.limbs, b.limbs)
                    result.isNegative = a.isNegative
                default:
                    result.limbs = subtractMagnitudes(b.limbs, a.limbs)
                    result.isNegative = b.isNegative
                }
            }
            result.normalize()
            return result
        }

        private static func addMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var result: [UInt32] = []
            result.reserveCapacity(max(a.count, b.count) + 1)
            var carry: UInt64 = 0
            for i in 0..<max(a.count, b.count) {
                let sum = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
                result.append(UInt32(truncatingIfNeeded: sum))
                carry = sum >> 32
            }
            if carry != 0 { result.append(UInt32(carry)) }
            return result
        }

        /// a - b for |a| ≥ |b|.
        private static func subtractMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var result = a
            var borrow: Int64 = 0
            for i in result.indices {
                var difference = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
                borrow = difference < 0 ? 1 : 0
                if difference < 0 { difference += 1 << 32 }
                result[i] = UInt32(difference)
            }
            return result
        }

        var description: String {
            if isZero { return "0" }
            var m = magnitude
            var chunks: [UInt32] = []  // base 10^9, least significant first
            while !m.isZero { chunks.append(m.divide(by: 1_000_000_000)) }
            var result = isNegative ? "-" : ""
            for (i, chunk) in chunks.reversed().enumerated() {
                let digits = String(chunk)
                if i > 0 { result += String(repeating: "0", count: 9 - digits.count) }
                result += digits
            }
            return result
        }

        private static let powersOf10: [UInt32] = [
            1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        ]
    }
}
