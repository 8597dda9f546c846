import KubeAPI
import KubeStore

// The pod subresources that act rather than store: binding (the scheduler's placement)
// and eviction (`kubectl drain`), with upstream's checks and answers.
extension ObjectRegistry {
    static let success: JSONValue = .object(["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "code": .int(201)])

    /// POST pods/{name}/binding: sets spec.nodeName once, and the PodScheduled condition.
    func bind(namespace: String, name: String, binding: JSONValue, dryRun: Bool) async throws -> JSONValue {
        guard binding["target"]?["kind"]?.stringValue ?? "Node" == "Node", let node = binding["target"]?["name"]?.stringValue, !node.isEmpty else {
            throw APIError.invalid(kind: "Binding", group: "", name, [("target.name", "FieldValueRequired", "Required value")])
        }
        let key = ResourceType.pods.key(namespace: namespace, name: name)
        for _ in 0..<5 {
            guard let current = try await store.get(key) else { throw APIError.notFound(.pods, name) }
            var pod = try object(current)
            if pod["metadata"]?["deletionTimestamp"] != nil {
                throw APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on pods/binding \"\(name)\": pod \(name) is being deleted, cannot be assigned to a host")
            }
            if let assigned = pod["spec"]?["nodeName"]?.stringValue, !assigned.isEmpty {
                throw APIError(code: 409, reason: "Conflict",
                               message: "Operation cannot be fulfilled on pods/binding \"\(name)\": pod \(name) is already assigned to node \"\(assigned)\"")
            }
            if dryRun { return Self.success }
            pod["spec"]?["nodeName"] = .string(node)
            var conditions = ResourceType.array(pod["status"]?["conditions"]).filter { $0["type"]?.stringValue != "PodScheduled" }
            conditions.append(.object(["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(Self.now())]))
            pod["status"]?["conditions"] = .array(conditions)
            pod["metadata"]?["resourceVersion"] = nil
            do {
                _ = try await store.update(key, value: pod.jsonData, expectedModRevision: current.modRevision)
                return Self.success
            } catch KubeStoreError.conflict {
                continue
            }
        }
        throw APIError.conflict(.pods, name)
    }

    /// POST pods/{name}/eviction: the pod goes unless the one PodDisruptionBudget that
    /// selects it allows no disruption now (429), as upstream's eviction REST does; an
    /// allowed eviction takes one disruption from the budget's status first.
    func evict(namespace: String, name: String, eviction: JSONValue, dryRun: Bool) async throws -> JSONValue {
        let pod = try await get(.pods, namespace: namespace, name: name)
        let phase = pod["status"]?["phase"]?.stringValue ?? ""
        if phase != "Succeeded", phase != "Failed" {
            let budgets = try await store.range(.prefix(ResourceType.podDisruptionBudgets.keyPrefix(namespace: namespace))).kvs.map(object)
            let labels = Self.labels(pod)
            let matching = try budgets.filter { budget in try LabelSelector(object: budget["spec"]?["selector"])?.matches(labels) ?? false }
            if matching.count > 1 {
                throw APIError.internalError("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
            }
            if let budget = matching.first {
                let budgetName = budget["metadata"]?["name"]?.stringValue ?? ""
                func refused(_ cause: String) -> APIError {
                    APIError(code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                             details: .object(["causes": .array([.object(["reason": "DisruptionBudget", "message": .string(cause)])])]))
                }
                let generation = ResourceType.int(budget["metadata"]?["generation"])
                guard ResourceType.int(budget["status"]?["observedGeneration"]) >= generation, budget["status"] != nil else {
                    throw refused("The disruption budget \(budgetName) is still being processed by the server.")
                }
                let allowed = ResourceType.int(budget["status"]?["disruptionsAllowed"])
                guard allowed > 0 else {
                    throw refused("The disruption budget \(budgetName) needs \(ResourceType.int(budget["status"]?["desiredHealthy"])) healthy pods and has \(ResourceType.int(budget["status"]?["currentHealthy"])) currently")
                }
                if !dryRun {
                    var status = budget["status"]?.objectValue ?? [:]
                    status["disruptionsAllowed"] = .int(allowed - 1)
                    var disrupted = status["disruptedPods"]?.objectValue ?? [:]
                    disrupted[name] = .string(Self.now())
                    status["disruptedPods"] = .object(disrupted)
                    var updated = budget
                    updated["status"] = .object(status)
                    // The budget's resourceVersion is the precondition: a concurrent eviction makes this one retry.
                    _ = try await update(.podDisruptionBudgets, namespace: namespace, name: budgetName, body: updated, dryRun: false,
                                         subresource: .status)
                }
            }
        }
        var options = DeleteOptions(dryRun: dryRun)
        options.preconditionUID = eviction["deleteOptions"]?["preconditions"]?["uid"]?.stringValue
        options.preconditionResourceVersion = eviction["deleteOptions"]?["preconditions"]?["resourceVersion"]?.stringValue
        _ = try await delete(.pods, namespace: namespace, name: name, options: options)
        return Self.success
    }
}
