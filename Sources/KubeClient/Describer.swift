import Foundation
import KubeAPI

/// What `swiftlet describe` prints: kubectl's generic describer (the one it uses for kinds without a
/// describer of their own): name, namespace, labels and annotations, then every other
/// field with labels made readable (`apiVersion` → `API Version`), then the object's events.
public enum Describer {
    public static func describe(_ object: JSONValue, events: [JSONValue], now: Date = Date()) -> String {
        var lines: [String] = []
        func write(_ level: Int, _ text: String) { lines.append(String(repeating: "  ", count: level) + text) }
        let metadata = object["metadata"]
        write(0, "Name:\t\(metadata?["name"]?.stringValue ?? "")")
        write(0, "Namespace:\t\(metadata?["namespace"]?.stringValue ?? "")")
        writeMultiline("Labels", metadata?["labels"]?.objectValue ?? [:], separator: "=", into: &lines)
        writeMultiline("Annotations", metadata?["annotations"]?.objectValue ?? [:], separator: ": ", into: &lines)
        let skipped: Set<String> = [".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]
        func content(_ level: Int, _ members: [String: JSONValue], _ prefix: String) {
            for (field, value) in members.sorted(by: { $0.key < $1.key }) {
                let path = "\(prefix).\(field)"
                if skipped.contains(path) { continue }
                switch value {
                case .object(let nested):
                    write(level, "\(label(field)):")
                    content(level + 1, nested, path)
                case .array(let items):
                    write(level, "\(label(field)):")
                    for item in items {
                        if case .object(let nested) = item { content(level + 1, nested, path) } else { write(level + 1, text(item)) }
                    }
                default:
                    write(level, "\(label(field)):\t\(text(value))")
                }
            }
        }
        content(0, object.objectValue ?? [:], "")
        if events.isEmpty {
            write(0, "Events:\t<none>")
        } else {
            write(0, "Events:")
            write(1, "Type\tReason\tAge\tFrom\tMessage")
            write(1, "----\t------\t----\t----\t-------")
            for event in events {
                let first = event["firstTimestamp"]?.stringValue ?? event["eventTime"]?.stringValue
                let count = event["count"]?.intValue ?? 1
                let age = count > 1
                    ? "\(translateTimestampSince(event["lastTimestamp"]?.stringValue, now: now)) (x\(count) over \(translateTimestampSince(first, now: now)))"
                    : translateTimestampSince(first, now: now)
                let source = event["source"]?["component"]?.stringValue ?? event["reportingComponent"]?.stringValue ?? ""
                write(1, [event["type"]?.stringValue ?? "", event["reason"]?.stringValue ?? "", age, source,
                          (event["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)].joined(separator: "\t"))
            }
        }
        return TabWriter.format(lines, padding: 2)
    }

    /// `Labels:  a=1` with the rest below it, aligned; `<none>` for none.
    static func writeMultiline(_ title: String, _ members: [String: JSONValue], separator: String, into lines: inout [String]) {
        guard !members.isEmpty else { lines.append("\(title):\t<none>"); return }
        for (index, (key, value)) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            lines.append("\(index == 0 ? "\(title):" : "")\t\(key)\(separator)\(text(value))")
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): return string
        case .null: return "<nil>"
        default: return value.jsonText
        }
    }

    /// kubectl's smartLabelFor: camelCase split into capitalized words, with its acronyms.
    static func label(_ field: String) -> String {
        guard field.allSatisfy({ $0.isLetter || $0 == "-" }) else { return field }
        var words: [String] = []
        var current = ""
        let characters = Array(field)
        for (index, character) in characters.enumerated() {
            // A new word at a lower→upper change, and before the last capital of a run followed by a lower-case letter.
            let previous = index > 0 ? characters[index - 1] : nil
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if let previous, character.isUppercase,
               previous.isLowercase || (previous.isUppercase && next?.isLowercase == true) {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        words.append(current)
        return words.map { word in
            ["API", "URL", "UID", "OSB", "GUID"].contains(word.uppercased()) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }.joined(separator: " ")
    }
}

/// Go's text/tabwriter (flags 0): tab-terminated cells align in columns over the
/// consecutive lines that have them; the text after a line's last tab is not aligned.
public enum TabWriter {
    public static func format(_ lines: [String], minWidth: Int = 0, padding: Int) -> String {
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var out = ""
        var widths: [Int] = []
        func writeLines(_ range: Range<Int>) {
            for line in cells[range] {
                for (column, cell) in line.enumerated() {
                    out += cell
                    if column < line.count - 1 {
                        out += String(repeating: " ", count: max(0, widths[column] - cell.count))
                    }
                }
                out += "\n"
            }
        }
        func format(_ start: Int, _ end: Int) {
            let column = widths.count
            var line0 = start
            var this = start
            while this < end {
                if column >= cells[this].count - 1 { this += 1; continue }
                writeLines(line0..<this)
                line0 = this
                var width = minWidth
                while this < end, column < cells[this].count - 1 {
                    width = max(width, cells[this][column].count + padding)
                    this += 1
                }
                widths.append(width)
                format(line0, this)
                widths.removeLast()
                line0 = this
            }
            writeLines(line0..<end)
        }
        format(0, cells.count)
        return out
    }
}
