// Object metadata every API object carries (upstream's metav1.TypeMeta, metav1.ObjectMeta,
// metav1.OwnerReference) and its create-time validation (apimachinery's
// ValidateObjectMetaAccessor plus core's finalizer rule).

/// `apiVersion` and `kind`, inlined at the top level of every object.
public struct TypeMeta: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?

    public init(apiVersion: String? = nil, kind: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
    }
}

public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var selfLink: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Time?
    public var deletionTimestamp: Time?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    public var finalizers: [String]?
    /// Server-side-apply bookkeeping, kept as written and never interpreted here.
    public var managedFields: [JSONValue]?

    public init(
        name: String? = nil, generateName: String? = nil, namespace: String? = nil, selfLink: String? = nil,
        uid: String? = nil, resourceVersion: String? = nil, generation: Int64? = nil,
        creationTimestamp: Time? = nil, deletionTimestamp: Time? = nil, deletionGracePeriodSeconds: Int64? = nil,
        labels: [String: String]? = nil, annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil, finalizers: [String]? = nil, managedFields: [JSONValue]? = nil
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.selfLink = selfLink
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
        self.managedFields = managedFields
    }
}

public struct OwnerReference: Codable, Hashable, Sendable {
    @ZeroIfAbsent public var apiVersion: String
    @ZeroIfAbsent public var kind: String
    @ZeroIfAbsent public var name: String
    @ZeroIfAbsent public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String,
                controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

// MARK: - Validation

/// Validates a name; `prefix` is true for `generateName`. Returns upstream's messages.
public typealias NameValidator = @Sendable (_ name: String, _ prefix: Bool) -> [String]

public enum ObjectMetaValidation {
    /// Upstream's limit on the summed length of annotation keys and values.
    public static let totalAnnotationSizeLimit = 256 * 1024

    static let isNegativeMessage = "must be greater than or equal to 0"

    /// Upstream's finalizer names that need no domain prefix.
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

    /// Create-time checks of `meta` (upstream's core `ValidateObjectMeta`).
    public static func validate(_ meta: ObjectMeta, requiresNamespace: Bool, nameValidator: NameValidator,
                                path: FieldPath = FieldPath("metadata")) -> [FieldError] {
        var errors: [FieldError] = []
        if let generateName = meta.generateName, !generateName.isEmpty {
            for message in nameValidator(generateName, true) {
                errors.append(.invalid(path.child("generateName"), generateName, message))
            }
        }
        let name = meta.name ?? ""
        if name.isEmpty {
            errors.append(.required(path.child("name"), "name or generateName is required"))
        } else {
            for message in nameValidator(name, false) {
                errors.append(.invalid(path.child("name"), name, message))
            }
        }
        let namespace = meta.namespace ?? ""
        if requiresNamespace {
            if namespace.isEmpty {
                errors.append(.required(path.child("namespace")))
            } else {
                for message in NameValidation.nameIsDNSLabel(namespace, prefix: false) {
                    errors.append(.invalid(path.child("namespace"), namespace, message))
                }
            }
        } else if !namespace.isEmpty {
            errors.append(.forbidden(path.child("namespace"), "not allowed on this type"))
        }
        if let generation = meta.generation, generation < 0 {
            errors.append(.invalid(path.child("generation"), generation, isNegativeMessage))
        }
        errors += validateLabels(meta.labels ?? [:], path: path.child("labels"))
        errors += validateAnnotations(meta.annotations ?? [:], path: path.child("annotations"))
        errors += validateOwnerReferences(meta.ownerReferences ?? [], path: path.child("ownerReferences"))
        errors += validateFinalizers(meta.finalizers ?? [], path: path.child("finalizers"))
        return errors
    }

    /// Label keys are qualified names, values at most 63 characters of the label alphabet.
    /// Like upstream, errors name the map (`metadata.labels`), not the key; keys are
    /// visited in sorted order so the output is stable.
    public static func validateLabels(_ labels: [String: String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for key in labels.keys.sorted() {
            for message in NameValidation.isQualifiedName(key) {
                errors.append(.invalid(path, key, message))
            }
            let value = labels[key] ?? ""
            for message in NameValidation.isValidLabelValue(value) {
                errors.append(.invalid(path, value, message))
            }
        }
        return errors
    }

    /// Annotation keys are qualified names ignoring case; all keys and values together may
    /// not exceed 256 KiB.
    public static func validateAnnotations(_ annotations: [String: String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for key in annotations.keys.sorted() {
            for message in NameValidation.isQualifiedName(key.lowercased()) {
                errors.append(.invalid(path, key, message))
            }
        }
        let total = annotations.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        if total > totalAnnotationSizeLimit {
            errors.append(.tooLong(path, maxLength: totalAnnotationSizeLimit))
        }
        return errors
    }

    public static func validateOwnerReferences(_ references: [OwnerReference], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var firstController: String?
        for reference in references {
            let (group, version) = parseGroupVersion(reference.apiVersion)
            if version.isEmpty {
                errors.append(.invalid(path.child("apiVersion"), reference.apiVersion, "version must not be empty"))
            }
            if reference.kind.isEmpty {
                errors.append(.invalid(path.child("kind"), reference.kind, "kind must not be empty"))
            }
            if reference.name.isEmpty {
                errors.append(.invalid(path.child("name"), reference.name, "name must not be empty"))
            }
            if reference.uid.isEmpty {
                errors.append(.invalid(path.child("uid"), reference.uid, "uid must not be empty"))
            }
            // Events may not own anything (upstream's BannedOwners).
            if group.isEmpty, version == "v1", reference.kind == "Event" {
                errors.append(.invalid(path, .literal(goLiteral(reference)),
                                       "/v1, Kind=Event is disallowed from being an owner"))
            }
            if reference.controller == true {
                let current = reference.kind + "/" + reference.name
                if let firstController {
                    errors.append(.invalid(
                        path, .literal("[" + references.map(goLiteral).joined(separator: ", ") + "]"),
                        "Only one reference can have Controller set to true. Found \"true\" in references for \(firstController) and \(current)"))
                } else {
                    firstController = current
                }
            }
        }
        return errors
    }

    public static func validateFinalizers(_ finalizers: [String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for finalizer in finalizers {
            for message in NameValidation.isQualifiedName(finalizer) {
                errors.append(.invalid(path, finalizer, message))
            }
        }
        if finalizers.contains("orphan"), finalizers.contains("foregroundDeletion") {
            errors.append(.invalid(path, .literal(goStringSlice(finalizers)),
                                   "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        // Core's extra rule: a finalizer without a domain must be a standard one.
        for (index, finalizer) in finalizers.enumerated() {
            let itemPath = path.index(index)
            let messages = NameValidation.isQualifiedName(finalizer)
            if !messages.isEmpty {
                errors += messages.map { FieldError.invalid(itemPath, finalizer, $0) }
            } else if !finalizer.contains("/"), !standardFinalizers.contains(finalizer) {
                errors.append(.invalid(itemPath, finalizer, "name is neither a standard finalizer name nor is it fully qualified"))
            }
        }
        return errors
    }

    /// `apps/v1` → ("apps", "v1"); `v1` → ("", "v1"); anything with more slashes is no
    /// group-version at all.
    static func parseGroupVersion(_ apiVersion: String) -> (group: String, version: String) {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: return ("", parts[0])
        case 2: return (parts[0], parts[1])
        default: return ("", "")
        }
    }

    private static func goLiteral(_ reference: OwnerReference) -> String {
        func pointer(_ value: Bool?) -> String { value.map { "(*bool)(\($0))" } ?? "(*bool)(nil)" }
        return "v1.OwnerReference{APIVersion:\(goQuote(reference.apiVersion)), Kind:\(goQuote(reference.kind)), "
            + "Name:\(goQuote(reference.name)), UID:\(goQuote(reference.uid)), "
            + "Controller:\(pointer(reference.controller)), BlockOwnerDeletion:\(pointer(reference.blockOwnerDeletion))}"
    }
}

/// `[]string{"a", "b"}`, as Go's `%#v` prints a string slice.
func goStringSlice(_ values: [String]) -> String {
    "[]string{" + values.map(goQuote).joined(separator: ", ") + "}"
}
