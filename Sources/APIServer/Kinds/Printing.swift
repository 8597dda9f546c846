import Foundation
import KubeAPI

// Cells that several kinds' Tables share, computed as kubectl's printers do
// (pkg/printers/internalversion/printers.go).
extension ResourceType {
    static let ageColumn = Column("Age", "CreationTimestamp is a timestamp representing the server time when this object was created.") { object in
        .string(age(object["metadata"]?["creationTimestamp"]?.stringValue))
    }

    static func age(_ timestamp: String?) -> String { translateTimestampSince(timestamp) }

    /// The number of members of a map field.
    static func count(_ field: String) -> @Sendable (JSONValue) -> JSONValue {
        { object in .int(Int64(object[field]?.objectValue?.count ?? 0)) }
    }

    static func int(_ value: JSONValue?) -> Int64 {
        if case .int(let number)? = value { return number }
        return 0
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    /// A string cell, `<none>` when empty, as upstream prints absent values.
    static func orNone(_ text: String?) -> JSONValue { .string((text ?? "").isEmpty ? "<none>" : text!) }

    /// `app=web,tier in (a,b)`: a LabelSelector as `metav1.FormatLabelSelector` prints it.
    static func formatSelector(_ selector: JSONValue?) -> String {
        guard let selector, selector != .null else { return "<none>" }
        var parts = (selector["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? "")" }
        for expression in array(selector["matchExpressions"]) {
            let key = expression["key"]?.stringValue ?? ""
            let values = array(expression["values"]).compactMap(\.stringValue).joined(separator: ",")
            switch expression["operator"]?.stringValue ?? "" {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            case let other: parts.append("\(key) \(other) (\(values))")
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    /// A Service's or DaemonSet's plain `key=value` map selector.
    static func formatMap(_ map: JSONValue?) -> String {
        let parts = (map?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? "")" }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    /// The wide columns of the workload kinds: the pod template's containers and images,
    /// and (with a `selectorPath`) the label selector.
    static func templateColumns(templatePath: [String] = ["spec", "template"], selectorPath: [String]? = ["spec", "selector"]) -> [Column] {
        @Sendable func containers(_ object: JSONValue) -> [JSONValue] {
            var template: JSONValue? = object
            for key in templatePath { template = template?[key] }
            return array(template?["spec"]?["containers"])
        }
        var columns = [
            Column("Containers", priority: 1, "Names of each container in the template.") { object in
                .string(containers(object).compactMap { $0["name"]?.stringValue }.joined(separator: ","))
            },
            Column("Images", priority: 1, "Images referenced by each container in the template.") { object in
                .string(containers(object).compactMap { $0["image"]?.stringValue }.joined(separator: ","))
            },
        ]
        if let path = selectorPath {
            columns.append(Column("Selector", priority: 1, "Label selector of the pods.") { object in
                var value: JSONValue? = object
                for key in path { value = value?[key] }
                return .string(formatSelector(value))
            })
        }
        return columns
    }
}
