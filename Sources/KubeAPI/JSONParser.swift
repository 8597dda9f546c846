// A strict JSON (RFC 8259) parser into `JSONValue`, with Go's encoding/json syntax error
// wording plus a line and column. Foundation's decoders lose the field path on number
// errors and give no position on syntax errors; parsing ourselves and decoding from the
// tree (JSONValueDecoder) gives both.

struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int
    var message: String
    /// How many complete values preceded the bad one in a stream.
    var valuesBefore: Int

    var description: String { "line \(line), column \(column): \(message)" }
}

struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private var valuesParsed = 0
    /// Nesting limit: deep input is an attack, not data, and the parser recurses (Go's
    /// decoder allows 10000 on its growable stacks; threads here have fixed ones).
    static let maxDepth = Manifest.maxNesting

    init(_ text: String) { bytes = Array(text.utf8) }

    /// One or more whitespace-separated values, as a JSON stream.
    static func parseStream(_ text: String) throws -> [JSONValue] {
        var parser = JSONParser(text)
        var values: [JSONValue] = []
        parser.skipWhitespace()
        while parser.position < parser.bytes.count {
            values.append(try parser.parseValue(depth: 0))
            parser.valuesParsed += 1
            parser.skipWhitespace()
        }
        return values
    }

    /// Exactly one value.
    static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(text)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < parser.bytes.count {
            throw parser.error("invalid character \(parser.quotedCurrent) after top-level value")
        }
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// The current byte as Go's scanner quotes it in messages: `'x'`, `'\t'`, `'\xff'`.
    private var quotedCurrent: String {
        guard position < bytes.count else { return "end of input" }
        let byte = bytes[position]
        if byte == UInt8(ascii: "'") { return "'\\''" }
        if byte == UInt8(ascii: "\"") { return "'\"'" }
        if byte >= 0x80 { return "'\\x" + String(byte, radix: 16) + "'" }
        return "'" + String(goQuote(String(Unicode.Scalar(byte))).dropFirst().dropLast()) + "'"
    }

    private func error(_ message: String) -> JSONSyntaxError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(position, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONSyntaxError(line: line, column: column, message: message, valuesBefore: valuesParsed)
    }

    private func endOfInput() -> JSONSyntaxError { error("unexpected end of JSON input") }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < Self.maxDepth else { throw error("exceeded max depth") }
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("invalid character \(quotedCurrent) looking for beginning of value")
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws -> JSONValue {
        for expected in word.utf8 {
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == expected else {
                throw error("invalid character \(quotedCurrent) in literal \(word) (expecting '\(Character(Unicode.Scalar(expected)))')")
            }
            position += 1
        }
        return value
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw error("invalid character \(quotedCurrent) looking for beginning of object key string")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: ":") else { throw error("invalid character \(quotedCurrent) after object key") }
            position += 1
            skipWhitespace()
            // A repeated key replaces the earlier value, as in Go.
            members[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw error("invalid character \(quotedCurrent) after object key:value pair")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: throw error("invalid character \(quotedCurrent) after array element")
            }
        }
    }

    private mutating func parseString() throws -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { throw endOfInput() }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw endOfInput() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try parseHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    // Lone surrogates become U+FFFD, as Go does.
                    utf8.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default:
                    position -= 1
                    throw error("invalid character \(quotedCurrent) in string escape code")
                }
            default:
                if byte < 0x20 { throw error("invalid character \(quotedCurrent) in string literal") }
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw endOfInput() }
            guard let digit = hexValue(bytes[position]) else {
                throw error("invalid character \(quotedCurrent) in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`. Integers stay exact when they fit
    /// 64 bits; everything else is a double.
    private mutating func parseNumber() throws -> JSONValue {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw endOfInput() }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(bytes[position]) {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        } else {
            throw error("invalid character \(quotedCurrent) in numeric literal")
        }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count else { throw endOfInput() }
            guard isDigit(bytes[position]) else { throw error("invalid character \(quotedCurrent) after decimal point in numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count else { throw endOfInput() }
            guard isDigit(bytes[position]) else { throw error("invalid character \(quotedCurrent) in exponent of numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger {
            if let int = Int64(text) { return .int(int) }
            if let uint = UInt64(text) { return .uint(uint) }
        }
        guard let double = Double(text), double.isFinite else {
            position = start
            throw error("number \(text) is out of range")
        }
        return .double(double)
    }
}
