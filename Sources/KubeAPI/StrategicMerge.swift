/// Strategic merge patch (what `kubectl apply`, `edit` and `patch` send): a merge patch
/// whose lists of objects merge by their patchMergeKey rather than being replaced, with
/// the directives `$patch` (replace, delete, merge), `$setElementOrder/<list>`,
/// `$retainKeys` and `$deleteFromPrimitiveList/<list>`. Which lists merge, and on which
/// key, comes from the upstream Go types' `patchStrategy`/`patchMergeKey` tags, held in
/// `MergeStrategy` until the typed schemas carry them.
public enum StrategicMerge {
    public static func apply(_ original: JSONValue, _ patch: JSONValue) -> JSONValue {
        mergeValue(original, patch, path: []) ?? .object([:])
    }

    /// nil: the value is deleted.
    private static func mergeValue(_ original: JSONValue?, _ patch: JSONValue, path: [String]) -> JSONValue? {
        switch patch {
        case .null: return nil
        case .object(let changes): return mergeMap(original?.objectValue, changes, path: path)
        case .array(let items):
            if let key = MergeStrategy.mergeKey(path) {
                return .array(mergeObjectList(original.flatMap(\.arrayValue) ?? [], items, key: key, path: path))
            }
            if MergeStrategy.mergesPrimitives(path) {
                var merged = original.flatMap(\.arrayValue) ?? []
                for item in items where !merged.contains(item) { merged.append(item) }
                return .array(merged)
            }
            return .array(items.map { stripDirectives($0) })
        default: return patch
        }
    }

    private static func mergeMap(_ original: [String: JSONValue]?, _ changes: [String: JSONValue], path: [String]) -> JSONValue? {
        switch changes["$patch"]?.stringValue {
        case "delete": return nil
        case "replace": return stripDirectives(.object(changes))
        default: break
        }
        var result = original ?? [:]
        for (key, value) in changes where !key.hasPrefix("$") {
            result[key] = mergeValue(result[key], value, path: path + [key])
        }
        for (directive, value) in changes {
            guard case .array(let values) = value else { continue }
            if directive.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(directive.dropFirst("$deleteFromPrimitiveList/".count))
                if case .array(let items)? = result[field] { result[field] = .array(items.filter { !values.contains($0) }) }
            } else if directive.hasPrefix("$setElementOrder/") {
                let field = String(directive.dropFirst("$setElementOrder/".count))
                guard case .array(let items)? = result[field] else { continue }
                result[field] = .array(order(items, by: values, key: MergeStrategy.mergeKey(path + [field])))
            } else if directive == "$retainKeys" {
                let keep = Set(values.compactMap(\.stringValue))
                result = result.filter { keep.contains($0.key) }
            }
        }
        return .object(result)
    }

    private static func mergeObjectList(_ original: [JSONValue], _ patch: [JSONValue], key: String, path: [String]) -> [JSONValue] {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return patch.filter { $0["$patch"]?.stringValue != "replace" }.map { stripDirectives($0) }
        }
        var merged = original
        for item in patch {
            guard let identity = item[key] else { merged.append(stripDirectives(item)); continue }
            let index = merged.firstIndex { $0[key] == identity }
            if item["$patch"]?.stringValue == "delete" {
                merged.removeAll { $0[key] == identity }
            } else if let index {
                if let value = mergeValue(merged[index], item, path: path) { merged[index] = value } else { merged.remove(at: index) }
            } else {
                merged.append(stripDirectives(item))
            }
        }
        return merged
    }

    /// `$setElementOrder`: the listed elements in the patch's order; elements the patch did
    /// not list (the server's own) keep their place after their predecessor.
    private static func order(_ items: [JSONValue], by order: [JSONValue], key: String?) -> [JSONValue] {
        func identity(_ item: JSONValue) -> JSONValue { key.flatMap { item[$0] } ?? item }
        let rank = Dictionary(order.enumerated().map { (identity($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        let listed = items.filter { rank[identity($0)] != nil }.sorted { rank[identity($0)]! < rank[identity($1)]! }
        var result: [JSONValue] = []
        var next = listed.makeIterator()
        for item in items {
            result.append(rank[identity(item)] == nil ? item : next.next()!)
        }
        return result
    }

    private static func stripDirectives(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !$0.key.hasPrefix("$") }.mapValues { stripDirectives($0) })
        case .array(let items): return .array(items.map { stripDirectives($0) })
        default: return value
        }
    }
}

/// The lists of the built-in kinds that a strategic merge patch merges (upstream's
/// `patchStrategy:"merge"` tags): object lists by their `patchMergeKey`, and the
/// primitive lists that merge as sets. Every other list is replaced whole.
enum MergeStrategy {
    /// Keyed by the field's name; `ports` depends on where it sits.
    static let keys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name", "env": "name",
        "volumeMounts": "mountPath", "volumeDevices": "devicePath", "imagePullSecrets": "name", "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey", "resourceClaims": "name", "schedulingGates": "name",
        "resizePolicy": "resourceName", "ownerReferences": "uid", "conditions": "type", "addresses": "type",
    ]

    static func mergeKey(_ path: [String]) -> String? {
        guard let field = path.last else { return nil }
        if field == "ports" {
            // A container's ports merge by containerPort, a Service's by port.
            let parent = path.dropLast().last ?? ""
            if ["containers", "initContainers", "ephemeralContainers"].contains(parent) { return "containerPort" }
            return path == ["spec", "ports"] ? "port" : nil
        }
        // Endpoints' subsets[].addresses are atomic; a node's status.addresses merge by type.
        if field == "addresses" { return path == ["status", "addresses"] ? "type" : nil }
        return keys[field]
    }

    static func mergesPrimitives(_ path: [String]) -> Bool { path == ["metadata", "finalizers"] }
}

extension StrategicMerge {
    /// The patch `kubectl apply` sends: what turns `current` into `modified`, plus the
    /// deletion of what the user removed since `original` (the last applied configuration),
    /// leaving alone what others set. Fields equal in `current` and `modified` are not
    /// sent; merging lists send only their changed elements, `$patch: delete` for removed
    /// ones and `$setElementOrder` for the user's order. `{}` means nothing to change.
    public static func threeWayPatch(original: JSONValue?, modified: JSONValue, current: JSONValue) -> JSONValue {
        .object(diffMaps(original: original?.objectValue ?? [:], modified: modified.objectValue ?? [:],
                         current: current.objectValue ?? [:], path: []))
    }

    private static func diffMaps(original: [String: JSONValue], modified: [String: JSONValue],
                                 current: [String: JSONValue], path: [String]) -> [String: JSONValue] {
        var patch: [String: JSONValue] = [:]
        for (key, value) in modified where current[key] != value {
            let fieldPath = path + [key]
            switch (value, current[key]) {
            case (.object(let modifiedMap), .object(let currentMap)?):
                let sub = diffMaps(original: original[key]?.objectValue ?? [:], modified: modifiedMap, current: currentMap, path: fieldPath)
                if !sub.isEmpty { patch[key] = .object(sub) }
            case (.array(let modifiedItems), .array(let currentItems)?):
                let originalItems = original[key].flatMap(\.arrayValue) ?? []
                if let mergeKey = MergeStrategy.mergeKey(fieldPath) {
                    let items = diffObjectLists(original: originalItems, modified: modifiedItems, current: currentItems,
                                                key: mergeKey, path: fieldPath)
                    let order = modifiedItems.compactMap { $0[mergeKey] }
                    let currentOrder = currentItems.compactMap { $0[mergeKey] }.filter { order.contains($0) }
                    if !items.isEmpty { patch[key] = .array(items) }
                    if !items.isEmpty || order != currentOrder {
                        patch["$setElementOrder/\(key)"] = .array(order.map { .object([mergeKey: $0]) })
                    }
                } else if MergeStrategy.mergesPrimitives(fieldPath) {
                    let added = modifiedItems.filter { !currentItems.contains($0) }
                    if !added.isEmpty { patch[key] = .array(added) }
                } else {
                    patch[key] = value
                }
            default:
                patch[key] = value
            }
        }
        for key in original.keys where modified[key] == nil && current[key] != nil {
            patch[key] = .null
        }
        // A primitive list that merges as a set loses what the user removed by directive.
        for (key, value) in original {
            guard MergeStrategy.mergesPrimitives(path + [key]), case .array(let originalItems) = value,
                  case .array(let modifiedItems)? = modified[key] else { continue }
            let removed = originalItems.filter { !modifiedItems.contains($0) }
            if !removed.isEmpty { patch["$deleteFromPrimitiveList/\(key)"] = .array(removed) }
        }
        return patch
    }

    private static func diffObjectLists(original: [JSONValue], modified: [JSONValue], current: [JSONValue],
                                        key: String, path: [String]) -> [JSONValue] {
        var items: [JSONValue] = []
        for item in modified {
            guard let identity = item[key], let currentItem = current.first(where: { $0[key] == identity }) else {
                items.append(item)
                continue
            }
            guard currentItem != item else { continue }
            var sub = diffMaps(original: original.first { $0[key] == identity }?.objectValue ?? [:],
                               modified: item.objectValue ?? [:], current: currentItem.objectValue ?? [:], path: path)
            if !sub.isEmpty {
                sub[key] = identity
                items.append(.object(sub))
            }
        }
        for item in original {
            guard let identity = item[key], !modified.contains(where: { $0[key] == identity }),
                  current.contains(where: { $0[key] == identity }) else { continue }
            items.append(.object([key: identity, "$patch": "delete"]))
        }
        return items
    }
}
