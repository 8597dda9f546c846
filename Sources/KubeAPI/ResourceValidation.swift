// Validation of container resource requests and limits (upstream's
// ValidateContainerResourceRequirements and the resource-name helpers it uses).

extension PodValidation {
    /// Resource names that need no domain prefix (upstream's standardResources).
    static let standardResourceNames: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
        "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
        "services.nodeports", "services.loadbalancers",
    ]

    static func isHugePages(_ name: String) -> Bool { name.hasPrefix("hugepages-") }

    /// Unprefixed names and `kubernetes.io/` names belong to Kubernetes itself.
    static func isNativeResource(_ name: String) -> Bool {
        !name.contains("/") || name.contains("kubernetes.io/")
    }

    /// A device-plugin style name such as `example.com/gpu`: whole units, no overcommit.
    static func isExtendedResource(_ name: String) -> Bool {
        if isNativeResource(name) || name.hasPrefix("requests.") { return false }
        return NameValidation.isQualifiedName("requests." + name).isEmpty
    }

    /// Requests below limits are allowed for native resources other than huge pages.
    static func isOvercommitAllowed(_ name: String) -> Bool {
        isNativeResource(name) && !isHugePages(name)
    }

    static func validateResources(_ requirements: ResourceRequirements, path: FieldPath,
                                  claimNames: Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        let limitsPath = path.child("limits")
        let requestsPath = path.child("requests")
        let limits = requirements.limits ?? [:]
        let requests = requirements.requests ?? [:]
        var hasComputeResource = false
        var hasHugePages = false
        // Upstream walks Go maps (random order); sorted names keep our output stable.
        for name in limits.keys.sorted() {
            guard let quantity = limits[name] else { continue }
            let itemPath = limitsPath.key(name)
            errors += validateContainerResourceName(name, path: itemPath)
            errors += validateQuantityValue(name, quantity, path: itemPath)
            if isHugePages(name) { hasHugePages = true }
            if name == "cpu" || name == "memory" { hasComputeResource = true }
        }
        for name in requests.keys.sorted() {
            guard let quantity = requests[name] else { continue }
            let itemPath = requestsPath.key(name)
            errors += validateContainerResourceName(name, path: itemPath)
            errors += validateQuantityValue(name, quantity, path: itemPath)
            if let limit = limits[name] {
                // Resources that cannot be overcommitted need requests equal to limits.
                if quantity != limit, !isOvercommitAllowed(name) {
                    errors.append(.invalid(requestsPath, quantity.description,
                                           "must be equal to \(name) limit of \(limit.description)"))
                } else if quantity > limit {
                    errors.append(.invalid(requestsPath, quantity.description,
                                           "must be less than or equal to \(name) limit of \(limit.description)"))
                }
            } else if !isOvercommitAllowed(name) {
                errors.append(.required(limitsPath, "Limit must be set for non overcommitable resources"))
            }
            if isHugePages(name) { hasHugePages = true }
            if name == "cpu" || name == "memory" { hasComputeResource = true }
        }
        if hasHugePages, !hasComputeResource {
            errors.append(.forbidden(path, "HugePages require cpu or memory"))
        }
        errors += validateClaimReferences(requirements.claims ?? [], claimNames: claimNames, path: path.child("claims"))
        return errors
    }

    static func validateContainerResourceName(_ name: String, path: FieldPath) -> [FieldError] {
        let qualified = NameValidation.isQualifiedName(name).map { FieldError.invalid(path, name, $0) }
        if !qualified.isEmpty { return qualified }
        var errors: [FieldError] = []
        // Upstream prints resource names through String(), so unquoted.
        if !name.contains("/") {
            if !(standardResourceNames.contains(name) || isHugePages(name) || name.hasPrefix("requests.hugepages-")) {
                errors.append(.invalid(path, .literal(name), "must be a standard resource type or fully qualified"))
            }
            if !(name == "cpu" || name == "memory" || name == "ephemeral-storage" || isHugePages(name)) {
                errors.append(.invalid(path, .literal(name), "must be a standard resource for containers"))
            }
        } else if !isNativeResource(name), !isExtendedResource(name) {
            errors.append(.invalid(path, .literal(name), "doesn't follow extended resource name standard"))
        }
        return errors
    }

    private static func validateQuantityValue(_ name: String, _ quantity: Quantity, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if quantity < zeroQuantity {
            errors.append(.invalid(path, quantity.description, isNegativeMessage))
        }
        if isExtendedResource(name), quantity.milliValue % 1000 != 0 {
            errors.append(.invalid(path, .literal(quantity.description), "must be an integer"))
        }
        return errors
    }

    private static func validateClaimReferences(_ claims: [ResourceClaim], claimNames: Set<String>,
                                                path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (index, claim) in claims.enumerated() {
            let itemPath = path.index(index)
            if claim.name.isEmpty {
                errors.append(.required(itemPath))
                continue
            }
            if !seen.insert(claim.name).inserted {
                errors.append(.duplicate(itemPath, .string(claim.name)))
            }
            if !claimNames.contains(claim.name) {
                let known = claimNames.isEmpty ? " which is empty" : ": " + claimNames.sorted().joined(separator: ", ")
                errors.append(FieldError(kind: .notFound, field: itemPath, badValue: .string(claim.name),
                                         detail: "must be one of the names in pod.spec.resourceClaims" + known))
            }
        }
        return errors
    }
}
