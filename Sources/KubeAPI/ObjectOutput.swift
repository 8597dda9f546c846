import Foundation

// `kubectl get -o yaml` and `-o json`, byte for byte.
//
// kubectl holds the object with int64 and float64 numbers. For YAML, sigs.k8s.io/yaml
// writes it with encoding/json, parses that with go-yaml v2 and marshals it again; the
// emitter below ports the parts of go-yaml v2 (encode.go, emitterc.go, resolve.go,
// sorter.go) that such data reaches: block mappings and sequences, `{}`/`[]` for empty
// ones, and four scalar styles. Names in comments (`stringv`, `analyze_scalar`, …) are
// go-yaml's. For JSON, kubectl uses MarshalIndent with four spaces and adds a newline.

extension JSONValue {
    /// The object as `kubectl get -o yaml` prints it, ending in a newline.
    public var yamlText: String {
        var emitter = GoYAMLEmitter()
        emitter.emit(self)
        emitter.writeIndent()  // document end: finish the last line
        return emitter.out
    }

    /// The object as `kubectl get -o json` prints it, ending in a newline.
    public func prettyJSON() -> String {
        var out = ""
        writePretty(to: &out, indent: "")
        return out + "\n"
    }

    private func writePretty(to out: inout String, indent: String) {
        let inner = indent + "    "
        switch self {
        case .array(let items) where !items.isEmpty:
            out += "["
            for (index, item) in items.enumerated() {
                out += (index == 0 ? "\n" : ",\n") + inner
                item.writePretty(to: &out, indent: inner)
            }
            out += "\n" + indent + "]"
        case .object(let members) where !members.isEmpty:
            out += "{"
            // encoding/json sorts map keys by their bytes.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                out += (index == 0 ? "\n" : ",\n") + inner
                Self.writeGoJSONString(key, to: &out)
                out += ": "
                members[key, default: .null].writePretty(to: &out, indent: inner)
            }
            out += "\n" + indent + "}"
        case .double(let value): out += Self.goJSONNumber(value)
        case .uint(let value): out += Self.goJSONNumber(Double(value))  // beyond int64 kubectl has a float64
        case .string(let value): Self.writeGoJSONString(value, to: &out)
        default: out += jsonText  // null, bools, integers, `[]` and `{}`
        }
    }

    /// encoding/json's string form: HTML-safe (`<`, `>`, `&` as \u003c…), U+2028/9 escaped
    /// for JavaScript, and \b \f as Go 1.22+ writes them.
    static func writeGoJSONString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\0"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// encoding/json's float64: 'f' form within [1e-6, 1e21), else 'e' form with a
    /// two-digit negative exponent shortened (1e-07 → 1e-7).
    static func goJSONNumber(_ value: Double) -> String {
        let magnitude = abs(value)
        guard magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 else { return goFormatFloat(value, "f") }
        var text = Array(goFormatFloat(value, "e"))
        if text.count >= 4, text[text.count - 4] == "e", text[text.count - 3] == "-", text[text.count - 2] == "0" {
            text.remove(at: text.count - 2)
        }
        return String(text)
    }

    /// Go's strconv.FormatFloat(value, format, -1, 64) for format "e", "f" or "g": the
    /// shortest digits that read back exactly. Swift's `description` picks the same digits,
    /// so they are read back out of it and laid out the way Go does.
    static func goFormatFloat(_ value: Double, _ format: Character) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        let parts = abs(value).description.split(separator: "e")  // "123.45" or "1.2e-07"
        let mantissa = parts[0]
        var digits = Array(mantissa.filter { $0 != "." })
        // `point`: where the decimal point falls, counted in digits from the first.
        var point = mantissa.prefix { $0 != "." }.count + (parts.count > 1 ? Int(parts[1])! : 0)
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        if digits.isEmpty { return sign + (format == "e" ? "0e+00" : "0") }

        let exponent = point - 1
        // 'g' with shortest digits switches to the exponent form outside 1e-4 ..< 1e6.
        if format == "e" || format == "g" && (exponent < -4 || exponent >= 6) {
            let fraction = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
            let exponentDigits = String(abs(exponent))
            return sign + String(digits[0]) + fraction + "e" + (exponent < 0 ? "-" : "+")
                + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }
}

/// The emitter state of go-yaml v2 (column, current indent, whether the last thing written
/// was whitespace or indentation): line breaks and folding depend on all of it.
private struct GoYAMLEmitter {
    private(set) var out = ""
    private var column = 0
    private var indent = -1
    private var indents: [Int] = []
    private var whitespace = true
    private var indention = true
    private static let bestIndent = 2
    private static let bestWidth = 80

    enum Style { case plain, singleQuoted, doubleQuoted, literal }

    /// `mapping` is libyaml's mapping_context: a block sequence that is a mapping value is
    /// not indented past its key.
    mutating func emit(_ value: JSONValue, mapping: Bool = false) {
        switch value {
        case .array(let items) where items.isEmpty: writeFlowEmpty("[", "]")
        case .object(let members) where members.isEmpty: writeFlowEmpty("{", "}")
        case .array(let items):
            increaseIndent(flow: false, indentless: mapping && !indention)
            for item in items {
                writeIndent()
                writeIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true)
                emit(item)
            }
            indent = indents.removeLast()
        case .object(let members):
            increaseIndent(flow: false, indentless: false)
            for key in members.keys.sorted(by: Self.keyLess) {
                writeIndent()
                let analysis = ScalarAnalysis(Array(key.unicodeScalars))
                // check_simple_key: one line of at most 128 bytes, else the `? key` form.
                if !analysis.multiline && key.utf8.count <= 128 {
                    emitScalar(key, style: Self.stringStyle(key), simpleKey: true)
                    writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
                } else {
                    writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true)
                    emitScalar(key, style: Self.stringStyle(key))
                    writeIndent()
                    writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true)
                }
                emit(members[key, default: .null], mapping: true)
            }
            indent = indents.removeLast()
        case .string(let string): emitScalar(string, style: Self.stringStyle(string))
        case .null: emitScalar("null", style: .plain)
        case .bool(let bool): emitScalar(bool ? "true" : "false", style: .plain)
        case .int(let int): emitScalar(String(int), style: .plain)
        case .uint(let uint): emitScalar(Self.number(Double(uint)), style: .plain)  // kubectl holds it as a float64
        case .double(let double): emitScalar(Self.number(double), style: .plain)
        }
    }

    /// A float64 after kubectl's JSON round trip: encoding/json writes it (an integral one
    /// below 1e21 as plain digits), go-yaml reads digits that fit int64 or uint64 back as an
    /// integer, and prints any other float in strconv's 'g' form (`floatv`).
    static func number(_ value: Double) -> String {
        let json = JSONValue.goJSONNumber(value)
        if let int = Int64(json) { return String(int) }
        if let uint = UInt64(json) { return String(uint) }
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return JSONValue.goFormatFloat(value, "g")
    }

    // MARK: Output primitives (put, put_break, write_indent, write_indicator)

    private mutating func put(_ scalar: Unicode.Scalar) {
        out.unicodeScalars.append(scalar)
        column += 1
    }

    private mutating func putBreak() {
        out += "\n"
        column = 0
    }

    /// write_break: a `\n` becomes the emitter's newline; other breaks (U+2028, …) are copied.
    private mutating func writeBreak(_ scalar: Unicode.Scalar) {
        if scalar == "\n" { putBreak() } else { put(scalar); column = 0 }
    }

    mutating func writeIndent() {
        let indent = max(indent, 0)
        if !indention || column > indent || (column == indent && !whitespace) { putBreak() }
        while column < indent { put(" ") }
        whitespace = true
        indention = true
    }

    private mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(" ") }
        for scalar in indicator.unicodeScalars { put(scalar) }
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    private mutating func increaseIndent(flow: Bool, indentless: Bool) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? Self.bestIndent : 0
        } else if !indentless {
            indent += Self.bestIndent
        }
    }

    private mutating func writeFlowEmpty(_ open: String, _ close: String) {
        writeIndicator(open, needWhitespace: true, isWhitespace: true, isIndention: false)
        writeIndicator(close, needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    // MARK: Scalars

    /// encode.go `stringv`: a string with a newline asks for a literal block; one that would
    /// read back as something else (bool, null, number, timestamp, base-60) for double quotes.
    static func stringStyle(_ string: String) -> Style {
        if string.unicodeScalars.contains("\n") { return .literal }
        return GoYAMLResolve.isPlainString(string) ? .plain : .doubleQuoted
    }

    /// emit_scalar with select_scalar_style: the emitter falls back from the style asked for
    /// when the text does not allow it (plain → single-quoted → double-quoted; literal → double).
    private mutating func emitScalar(_ string: String, style requested: Style, simpleKey: Bool = false) {
        let text = Array(string.unicodeScalars)
        let analysis = ScalarAnalysis(text)
        var style = requested
        if simpleKey && analysis.multiline { style = .doubleQuoted }
        if style == .plain && !analysis.blockPlainAllowed { style = .singleQuoted }
        if style == .singleQuoted && !analysis.singleQuotedAllowed { style = .doubleQuoted }
        if style == .literal && (!analysis.blockAllowed || simpleKey) { style = .doubleQuoted }

        increaseIndent(flow: true, indentless: false)
        switch style {
        case .plain: writePlain(text, allowBreaks: !simpleKey)
        case .singleQuoted: writeSingleQuoted(text, allowBreaks: !simpleKey)
        case .doubleQuoted: writeDoubleQuoted(text, allowBreaks: !simpleKey)
        case .literal: writeLiteral(text)
        }
        indent = indents.removeLast()
    }

    /// Plain text; past column 80 a single space becomes a line break (folding). Plain text
    /// never holds line breaks or leading/trailing spaces (the analysis rules them out).
    private mutating func writePlain(_ text: [Unicode.Scalar], allowBreaks: Bool) {
        if !whitespace { put(" ") }
        var spaces = false
        for (index, scalar) in text.enumerated() {
            if scalar == " " {
                let nextIsSpace = index + 1 < text.count && text[index + 1] == " "
                if allowBreaks && !spaces && column > Self.bestWidth && !nextIsSpace { writeIndent() } else { put(scalar) }
                spaces = true
            } else {
                put(scalar)
                indention = false
                spaces = false
            }
        }
        whitespace = false
        indention = false
    }

    private mutating func writeSingleQuoted(_ text: [Unicode.Scalar], allowBreaks: Bool) {
        writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false, breaks = false
        for (index, scalar) in text.enumerated() {
            if scalar == " " {
                let foldable = index > 0 && index < text.count - 1 && text[index + 1] != " "
                if allowBreaks && !spaces && column > Self.bestWidth && foldable { writeIndent() } else { put(scalar) }
                spaces = true
            } else if ScalarAnalysis.isBreak(scalar) {
                // Only U+2028/U+2029 get here: a `\n` asks for a literal block, and the other
                // breaks are not printable, so both end up double-quoted.
                writeBreak(scalar)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                if scalar == "'" { put("'") }  // '' is a quote inside single quotes
                put(scalar)
                indention = false
                spaces = false
                breaks = false
            }
        }
        writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private mutating func writeDoubleQuoted(_ text: [Unicode.Scalar], allowBreaks: Bool) {
        writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
        // go-yaml's is_bom looks at the value's first bytes whatever the position, so a value
        // that starts with U+FEFF has every character escaped.
        let startsWithBOM = text.first == "\u{FEFF}"
        var spaces = false
        for (index, scalar) in text.enumerated() {
            if startsWithBOM || !ScalarAnalysis.isPrintable(scalar) || ScalarAnalysis.isBreak(scalar)
                || scalar == "\"" || scalar == "\\" {
                put("\\")
                writeEscape(scalar)
                spaces = false
            } else if scalar == " " {
                if allowBreaks && !spaces && column > Self.bestWidth && index > 0 && index < text.count - 1 {
                    writeIndent()
                    // A fold eats one space; escape the next so a run of spaces survives.
                    if text[index + 1] == " " { put("\\") }
                } else {
                    put(scalar)
                }
                spaces = true
            } else {
                put(scalar)
                spaces = false
            }
        }
        writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private mutating func writeEscape(_ scalar: Unicode.Scalar) {
        let named: [UInt32: Unicode.Scalar] = [
            0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r",
            0x1B: "e", 0x22: "\"", 0x5C: "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P",
        ]
        if let letter = named[scalar.value] { return put(letter) }
        let (prefix, width): (Unicode.Scalar, Int) = scalar.value <= 0xFF ? ("x", 2) : scalar.value <= 0xFFFF ? ("u", 4) : ("U", 8)
        put(prefix)
        let hex = String(scalar.value, radix: 16, uppercase: true)
        for digit in (String(repeating: "0", count: width - hex.count) + hex).unicodeScalars { put(digit) }
    }

    /// A `|` block indented one level below its key. The header tells the trailing newlines
    /// (`|-` none, `|` one, `|+` more) and, when the text starts with a space or a break,
    /// gives the indentation (`|2`).
    private mutating func writeLiteral(_ text: [Unicode.Scalar]) {
        writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
        if let first = text.first, first == " " || ScalarAnalysis.isBreak(first) {
            writeIndicator(String(Self.bestIndent), needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        if let last = text.last, !ScalarAnalysis.isBreak(last) {
            writeIndicator("-", needWhitespace: false, isWhitespace: false, isIndention: false)
        } else if text.count == 1 || ScalarAnalysis.isBreak(text[text.count - 2]) {
            writeIndicator("+", needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        putBreak()
        indention = true
        whitespace = true
        var breaks = true
        for scalar in text {
            if ScalarAnalysis.isBreak(scalar) {
                writeBreak(scalar)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                put(scalar)
                indention = false
                breaks = false
            }
        }
    }

    // MARK: Key order

    /// sorter.go keyList.Less for string keys — not byte order: digit runs compare by value
    /// (`a2` < `a10`) and a non-letter sorts before a letter (`_x` < `Ab`).
    static func keyLess(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars), br = Array(b.unicodeScalars)
        for i in 0..<min(ar.count, br.count) where ar[i] != br[i] {
            let aLetter = isLetter(ar[i]), bLetter = isLetter(br[i])
            if aLetter && bLetter { return ar[i].value < br[i].value }
            if aLetter || bLetter { return bLetter }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                // A zero inside a number (after a nonzero digit) is not a leading zero.
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" { an = 1; bn = 1; break }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < ar.count && isDigit(ar[ai]) { an = an &* 10 &+ Int64(ar[ai].value) &- 48; ai += 1 }
            while bi < br.count && isDigit(br[bi]) { bn = bn &* 10 &+ Int64(br[bi].value) &- 48; bi += 1 }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }
}

/// yaml_emitter_analyze_scalar, reduced to block context (flow collections here are always
/// empty, so no scalar is ever written inside one).
private struct ScalarAnalysis {
    var multiline = false
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true

    init(_ text: [Unicode.Scalar]) {
        guard !text.isEmpty else { blockAllowed = false; return }
        var indicators = text.starts(with: "---".unicodeScalars) || text.starts(with: "...".unicodeScalars)
        var lineBreaks = false, special = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
        var precededByWhitespace = true
        for (i, scalar) in text.enumerated() {
            let followedByWhitespace = i + 1 == text.count || text[i + 1] == " " || text[i + 1] == "\t"
            if i == 0 {
                switch scalar {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`": indicators = true
                case "?", ":", "-": indicators = indicators || followedByWhitespace
                default: break
                }
            } else if scalar == ":" && followedByWhitespace || scalar == "#" && precededByWhitespace {
                indicators = true
            }
            if !Self.isPrintable(scalar) { special = true }
            if scalar == " " {
                if i == 0 { leadingSpace = true }
                if i == text.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if Self.isBreak(scalar) {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i == text.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = scalar == " " || scalar == "\t" || scalar == "\0" || Self.isBreak(scalar)
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak
            || special || lineBreaks || indicators {
            blockPlainAllowed = false
        }
        if breakSpace || spaceBreak || special { singleQuotedAllowed = false }
        if trailingSpace || spaceBreak || special { blockAllowed = false }
    }

    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        ["\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
    }

    /// YAML's printable set as go-yaml checks it: no tab, no C1 controls, nothing beyond U+FFFF.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x20...0x7E, 0xA0...0xD7FF: return true
        case 0xE000...0xFFFD: return scalar.value != 0xFEFF
        default: return false
        }
    }
}

/// resolve.go, as `stringv` uses it: would this text, written plain, read back as a string?
private enum GoYAMLResolve {
    private static let keywords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        "", "~", "null", "Null", "NULL",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    ]

    static func isPlainString(_ text: String) -> Bool {
        // resolve only looks further when the first byte hints at a non-string.
        guard let first = text.unicodeScalars.first else { return false }  // "" is null
        switch first {
        case "y", "Y", "n", "N", "t", "T", "f", "F", "o", "O", "~":
            return !keywords.contains(text)
        case ".":
            return !keywords.contains(text) && !isFloat(text, pattern: #/\.[0-9]+([eE][-+]?[0-9]+)?/#)
        case "+", "-", "0"..."9":
            let plain = text.replacingOccurrences(of: "_", with: "")
            return !keywords.contains(text) && !isTimestamp(text) && !isInteger(plain)
                && !isFloat(plain, pattern: #/[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/#)
                && !isBase60Float(text)
        default:
            return true
        }
    }

    /// Go's ParseFloat on text of this shape: fails only when the value overflows.
    private static func isFloat(_ text: String, pattern: some RegexComponent) -> Bool {
        text.wholeMatch(of: pattern) != nil && Double(text)?.isFinite == true
    }

    /// strconv.ParseInt(text, 0, 64) or ParseUint(text, 0, 64): optional sign, 0x/0o/0b or a
    /// leading 0 (octal) for the base, in range.
    private static func isInteger(_ text: String) -> Bool {
        var rest = Substring(text)
        let sign = rest.first == "+" || rest.first == "-" ? rest.removeFirst() : nil
        var radix = 10
        if rest.first == "0" && rest.count >= 3, let base = ["b": 2, "o": 8, "x": 16][rest.dropFirst().first!.lowercased()] {
            radix = base
            rest = rest.dropFirst(2)
        } else if rest.first == "0" && rest.count > 1 {
            radix = 8
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              let magnitude = UInt64(rest, radix: radix) else { return false }
        switch sign {
        case "-": return magnitude <= UInt64(Int64.max) + 1
        case "+": return magnitude <= UInt64(Int64.max)
        default: return true
        }
    }

    /// encode.go isBase60Float: YAML 1.1 sexagesimal numbers (`1:20`), quoted for other parsers.
    private static func isBase60Float(_ text: String) -> Bool {
        text.contains(":") && text.wholeMatch(of: #/[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?/#) != nil
    }

    /// go-yaml's parseTimestamp: Go's time.Parse with the layouts
    /// "2006-1-2T15:4:5.999999999Z07:00" (also with "t"), "2006-1-2 15:4:5.999999999" and "2006-1-2".
    static func isTimestamp(_ text: String) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        func isDigit(_ at: Int) -> Bool { at < b.count && b[at] >= 0x30 && b[at] <= 0x39 }
        func expect(_ char: Character) -> Bool {
            guard i < b.count, b[i] == char.asciiValue! else { return false }
            i += 1
            return true
        }
        // Go's getnum: one or two digits, or exactly two when `fixed`.
        func number(fixed: Bool = false) -> Int? {
            guard isDigit(i), !fixed || isDigit(i + 1) else { return nil }
            var value = Int(b[i] - 0x30)
            i += 1
            if isDigit(i) { value = value * 10 + Int(b[i] - 0x30); i += 1 }
            return value
        }
        // time of day, with any number of fractional digits after '.' or ','
        func clock() -> Bool {
            guard let hour = number(), hour < 24, expect(":"), let minute = number(), minute < 60,
                  expect(":"), let second = number(), second < 60 else { return false }
            if i + 1 < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ","), isDigit(i + 1) {
                i += 1
                while isDigit(i) { i += 1 }
            }
            return true
        }

        guard b.count > 4, (0..<4).allSatisfy(isDigit), b[4] == UInt8(ascii: "-") else { return false }
        let year = b[0..<4].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        i = 5
        guard let month = number(), (1...12).contains(month), expect("-"), let day = number() else { return false }
        if i < b.count {
            if expect("T") || expect("t") {
                guard clock() else { return false }
                if !expect("Z") {
                    // ±hh:mm, hours up to 24 and minutes up to 60 as Go allows
                    guard expect("+") || expect("-"), let hours = number(fixed: true), hours <= 24,
                          expect(":"), let minutes = number(fixed: true), minutes <= 60 else { return false }
                }
            } else {
                guard expect(" ") else { return false }
                while i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }  // a layout space matches a run
                guard clock() else { return false }
            }
            guard i == b.count else { return false }
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
