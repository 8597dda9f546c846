// String-format checks shared by every API type (upstream's
// k8s.io/apimachinery/pkg/util/validation): each returns the list of upstream's messages
// for what is wrong, empty when the value is fine. Hand-written matchers stand in for
// upstream's regular expressions (same languages, same messages, including the regex text
// the messages quote).

public enum NameValidation {
    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let dns1035LabelMaxLength = 63
    public static let qualifiedNameMaxLength = 63
    public static let labelValueMaxLength = 63

    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let dns1035LabelMessage = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    static let labelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let cIdentifierFormat = "[A-Za-z_][A-Za-z0-9_]*"
    static let cIdentifierMessage = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'"
    static let envVarNameFormat = "[-._a-zA-Z][-._a-zA-Z0-9]*"
    static let envVarNameMessage = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"
    static let relaxedEnvVarNameMessage = "a valid environment variable name must consist only of printable ASCII characters other than '='"
    static let configMapKeyFormat = "[-._a-zA-Z0-9]+"
    static let configMapKeyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
    static let httpHeaderNameFormat = "[-A-Za-z0-9]+"
    static let httpHeaderNameMessage = "a valid HTTP header must consist of alphanumeric characters or '-'"

    // MARK: Message builders (upstream's MaxLenError, RegexError, EmptyError, InclusiveRangeError)

    public static func maxLenError(_ length: Int) -> String {
        "must be no more than \(length) characters"
    }

    public static func regexError(_ message: String, _ format: String, examples: [String] = []) -> String {
        if examples.isEmpty {
            return message + " (regex used for validation is '" + format + "')"
        }
        // Upstream's loop yields "'a',  or 'b', " (two spaces); kept, since clients match text.
        var text = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { text += " or " }
            text += "'" + example + "', "
        }
        return text + "regex used for validation is '" + format + "')"
    }

    public static func emptyError() -> String { "must be non-empty" }

    public static func inclusiveRangeError(_ low: Int64, _ high: Int64) -> String {
        "must be between \(low) and \(high), inclusive"
    }

    // MARK: Checks

    public static func isDNS1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append(maxLenError(dns1123LabelMaxLength)) }
        if !matchesDNS1123Label(value) {
            if matchesDNS1123Subdomain(value) {
                // A valid subdomain that is no label: the length was checked, so it is the dots.
                errors.append("must not contain dots")
            } else {
                errors.append(regexError(dns1123LabelMessage, dns1123LabelFormat, examples: ["my-name", "123-abc"]))
            }
        }
        return errors
    }

    public static func isDNS1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errors.append(maxLenError(dns1123SubdomainMaxLength)) }
        if !matchesDNS1123Subdomain(value) {
            errors.append(regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, examples: ["example.com"]))
        }
        return errors
    }

    public static func isDNS1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1035LabelMaxLength { errors.append(maxLenError(dns1035LabelMaxLength)) }
        let bytes = Array(value.utf8)
        let ok = !bytes.isEmpty && isLower(bytes[0]) && bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
            && bytes.last.map { isLower($0) || isDigit($0) } == true
        if !ok {
            errors.append(regexError(dns1035LabelMessage, dns1035LabelFormat, examples: ["my-name", "abc-123"]))
        }
        return errors
    }

    /// A "qualified name" such as a label key: an optional DNS subdomain prefix and `/`,
    /// then a name of at most 63 characters.
    public static func isQualifiedName(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part " + emptyError())
            } else {
                errors.append(contentsOf: isDNS1123Subdomain(prefix).map { "prefix part " + $0 })
            }
        default:
            return ["a qualified name " + regexError(qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part " + emptyError())
        } else if name.utf8.count > qualifiedNameMaxLength {
            errors.append("name part " + maxLenError(qualifiedNameMaxLength))
        }
        if !matchesQualifiedNamePart(name) {
            errors.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    public static func isValidLabelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelValueMaxLength { errors.append(maxLenError(labelValueMaxLength)) }
        if !(value.isEmpty || matchesQualifiedNamePart(value)) {
            errors.append(regexError(labelValueMessage, labelValueFormat, examples: ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    public static func isCIdentifier(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        let ok = !bytes.isEmpty && (isAlpha(bytes[0]) || bytes[0] == UInt8(ascii: "_"))
            && bytes.allSatisfy { isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
        return ok ? [] : [regexError(cIdentifierMessage, cIdentifierFormat, examples: ["my_name", "MY_NAME", "MyName"])]
    }

    public static func isValidPortNum(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRangeError(1, 65535)]
    }

    /// A named port (IANA service name): at most 15 characters of `[-a-z0-9]` with a letter,
    /// no leading, trailing or doubled hyphen.
    public static func isValidPortName(_ port: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(port.utf8)
        if bytes.count > 15 { errors.append(maxLenError(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: isLower) { errors.append("must contain at least one letter (a-z)") }
        if port.contains("--") { errors.append("must not contain consecutive hyphens") }
        if let first = bytes.first, let last = bytes.last, first == UInt8(ascii: "-") || last == UInt8(ascii: "-") {
            errors.append("must not begin or end with a hyphen")
        }
        return errors
    }

    public static func isValidUserID(_ uid: Int64) -> [String] {
        (0...Int64(Int32.max)).contains(uid) ? [] : [inclusiveRangeError(0, Int64(Int32.max))]
    }

    public static func isValidGroupID(_ gid: Int64) -> [String] {
        (0...Int64(Int32.max)).contains(gid) ? [] : [inclusiveRangeError(0, Int64(Int32.max))]
    }

    /// The strict environment variable name rule (upstream's `IsEnvVarName`).
    public static func isEnvVarName(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(value.utf8)
        let isNameByte = { (b: UInt8) in isAlpha(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") }
        let ok = !bytes.isEmpty && isNameByte(bytes[0]) && bytes.allSatisfy { isNameByte($0) || isDigit($0) }
        if !ok {
            errors.append(regexError(envVarNameMessage, envVarNameFormat, examples: ["my.env-name", "MY_ENV.NAME", "MyEnvName1"]))
        }
        errors.append(contentsOf: hasChDirPrefix(value))
        return errors
    }

    /// The relaxed rule (upstream's `IsRelaxedEnvVarName`, on by default since v1.32):
    /// printable ASCII other than `=`.
    public static func isRelaxedEnvVarName(_ value: String) -> [String] {
        var errors: [String] = []
        if value.isEmpty { errors.append("environment variable name " + emptyError()) }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E || $0 == "=" }) {
            errors.append(relaxedEnvVarNameMessage)
        }
        return errors
    }

    public static func isConfigMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errors.append(maxLenError(dns1123SubdomainMaxLength)) }
        let ok = !value.isEmpty && value.utf8.allSatisfy {
            isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
        }
        if !ok {
            errors.append(regexError(configMapKeyMessage, configMapKeyFormat, examples: ["key.name", "KEY_NAME", "key-name"]))
        }
        errors.append(contentsOf: hasChDirPrefix(value))
        return errors
    }

    public static func isHTTPHeaderName(_ value: String) -> [String] {
        let ok = !value.isEmpty && value.utf8.allSatisfy { isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
        return ok ? [] : [regexError(httpHeaderNameMessage, httpHeaderNameFormat, examples: ["X-Header-Name"])]
    }

    /// Upstream's `NameIsDNSSubdomain`: with `prefix`, a trailing dash is allowed because
    /// characters will be appended (generateName).
    public static func nameIsDNSSubdomain(_ name: String, prefix: Bool) -> [String] {
        isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)
    }

    public static func nameIsDNSLabel(_ name: String, prefix: Bool) -> [String] {
        isDNS1123Label(prefix ? maskTrailingDash(name) : name)
    }

    /// Replaces a trailing dash so a name prefix validates; like upstream (v1.32) this
    /// replaces the last two characters, which only matters for the length check.
    static func maskTrailingDash(_ name: String) -> String {
        guard name.utf8.count > 1, name.hasSuffix("-") else { return name }
        return String(name.dropLast(2)) + "a"
    }

    // MARK: Matchers

    static func matchesDNS1123Label(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlnum(first) && isLowerAlnum(last)
            && bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func matchesDNS1123Subdomain(_ value: String) -> Bool {
        value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { matchesDNS1123Label(String($0)) }
    }

    static func matchesQualifiedNamePart(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlnum(first) && isAlnum(last) && bytes.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    private static func hasChDirPrefix(_ value: String) -> [String] {
        if value == "." { return ["must not be '.'"] }
        if value == ".." { return ["must not be '..'"] }
        if value.hasPrefix("..") { return ["must not start with '..'"] }
        return []
    }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
@inline(__always) func isLower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
@inline(__always) func isAlpha(_ b: UInt8) -> Bool { isLower(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) }
@inline(__always) func isAlnum(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
@inline(__always) func isLowerAlnum(_ b: UInt8) -> Bool { isLower(b) || isDigit(b) }
