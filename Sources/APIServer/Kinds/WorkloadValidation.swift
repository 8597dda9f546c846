import KubeAPI

// Upstream's validation of what users get wrong most with Services and workloads: a
// selector that does not match the template's labels, missing or out-of-range ports.
extension ResourceType {
    typealias FieldProblem = (field: String, type: String, message: String)

    /// apps/v1 and batch/v1 workloads: a non-empty selector that selects the template's
    /// labels, and no negative replicas.
    static func validateWorkload(_ object: JSONValue, kind: String, group: String, selectorRequired: Bool = true) throws(APIError) {
        var problems: [FieldProblem] = []
        let spec = object["spec"]
        if case .int(let replicas)? = spec?["replicas"], replicas < 0 {
            problems.append(("spec.replicas", "FieldValueInvalid", "Invalid value: \(replicas): must be greater than or equal to 0"))
        }
        let selector = spec?["selector"]
        if selector == nil || selector == .null {
            if selectorRequired { problems.append(("spec.selector", "FieldValueRequired", "Required value")) }
        } else {
            let text = formatSelector(selector)
            if text == "<none>" {
                problems.append(("spec.selector", "FieldValueInvalid",
                                 "Invalid value: \(goLabelSelector(selector)): empty selector is invalid for \(kind.lowercased())"))
            } else {
                let labels = (spec?["template"]?["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
                let parsed = try LabelSelector(parsing: text)
                if !parsed.matches(labels) {
                    problems.append(("spec.template.metadata.labels", "FieldValueInvalid",
                                     "Invalid value: \(goMap(labels)): `selector` does not match template `labels`"))
                }
            }
        }
        if !problems.isEmpty { throw APIError.invalid(kind: kind, group: group, object["metadata"]?["name"]?.stringValue ?? "", problems) }
    }

    /// core/v1 Service: its type, and ports (required unless headless or ExternalName,
    /// named when there are several, numbers in range, a supported protocol).
    static func validateService(_ service: JSONValue) throws(APIError) {
        var problems: [FieldProblem] = []
        let spec = service["spec"]
        let type = spec?["type"]?.stringValue ?? "ClusterIP"
        let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !types.contains(type) {
            problems.append(("spec.type", "FieldValueNotSupported",
                             "Unsupported value: \"\(type)\": supported values: \(types.map { "\"\($0)\"" }.joined(separator: ", "))"))
        }
        let ports = array(spec?["ports"])
        if ports.isEmpty, type != "ExternalName", spec?["clusterIP"]?.stringValue != "None" {
            problems.append(("spec.ports", "FieldValueRequired", "Required value"))
        }
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            if ports.count > 1, (port["name"]?.stringValue ?? "").isEmpty {
                problems.append(("\(path).name", "FieldValueRequired", "Required value"))
            }
            let number = int(port["port"])
            if !(1...65535).contains(number) {
                problems.append(("\(path).port", "FieldValueInvalid", "Invalid value: \(number): must be between 1 and 65535, inclusive"))
            }
            let proto = port["protocol"]?.stringValue ?? "TCP"
            if !["SCTP", "TCP", "UDP"].contains(proto) {
                problems.append(("\(path).protocol", "FieldValueNotSupported", "Unsupported value: \"\(proto)\": supported values: \"SCTP\", \"TCP\", \"UDP\""))
            }
        }
        if !problems.isEmpty { throw APIError.invalid(kind: "Service", group: "", service["metadata"]?["name"]?.stringValue ?? "", problems) }
    }

    /// Go's %#v of a map[string]string, as upstream's messages print bad values.
    static func goMap(_ map: [String: String]) -> String {
        "map[string]string{" + map.keys.sorted().map { "\"\($0)\":\"\(map[$0]!)\"" }.joined(separator: ", ") + "}"
    }

    static func goLabelSelector(_ selector: JSONValue?) -> String {
        let labels = (selector?["matchLabels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return "v1.LabelSelector{MatchLabels:\(labels.isEmpty ? "map[string]string(nil)" : goMap(labels)), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
    }
}
