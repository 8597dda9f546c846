// Validation of `spec.volumes` (upstream's ValidateVolumes and validateVolumeSource).

extension PodValidation {
    /// Validates the volumes and returns those without errors by name: containers may
    /// only mount those (a mount of an invalid volume is reported as not found, as upstream
    /// reports it).
    static func validateVolumes(_ volumes: [Volume], path: FieldPath) -> ([String: Volume], [FieldError]) {
        var errors: [FieldError] = []
        var valid: [String: Volume] = [:]
        var names = Set<String>()
        for (index, volume) in volumes.enumerated() {
            let volumePath = path.index(index)
            let namePath = volumePath.child("name")
            var volumeErrors = validateVolumeSource(volume, path: volumePath)
            if volume.name.isEmpty {
                volumeErrors.append(.required(namePath))
            } else {
                volumeErrors += NameValidation.isDNS1123Label(volume.name).map { FieldError.invalid(namePath, volume.name, $0) }
            }
            if names.contains(volume.name) {
                volumeErrors.append(.duplicate(namePath, .string(volume.name)))
            }
            if volumeErrors.isEmpty {
                names.insert(volume.name)
                valid[volume.name] = volume
            } else {
                errors += volumeErrors
            }
        }
        return (valid, errors)
    }

    /// Exactly one source, each checked on its own terms. Sources are visited in upstream's
    /// order; the first one counts and each later one is "more than 1 volume type", under
    /// the field name upstream uses (including its `downwarAPI` and `cephFS` spellings).
    static func validateVolumeSource(_ volume: Volume, path: FieldPath) -> [FieldError] {
        typealias Check = (present: Bool, errorName: String, validate: () -> [FieldError])
        func other(_ key: String) -> Check {
            let errorName = Volume.otherSourceKeys.first { $0.key == key }?.errorName ?? key
            return (volume.otherSources[key] != nil, errorName, { [] })
        }
        let checks: [Check] = [
            (volume.emptyDir != nil, "emptyDir", { validateEmptyDir(volume.emptyDir, path: path.child("emptyDir")) }),
            (volume.hostPath != nil, "hostPath", { validateHostPath(volume.hostPath, path: path.child("hostPath")) }),
            other("gitRepo"), other("gcePersistentDisk"), other("awsElasticBlockStore"),
            (volume.secret != nil, "secret", { validateSecretSource(volume.secret, path: path.child("secret")) }),
            other("nfs"), other("iscsi"), other("glusterfs"), other("flocker"),
            (volume.persistentVolumeClaim != nil, "persistentVolumeClaim", {
                (volume.persistentVolumeClaim?.claimName ?? "").isEmpty
                    ? [.required(path.child("persistentVolumeClaim", "claimName"))] : []
            }),
            other("rbd"), other("cinder"), other("cephfs"), other("quobyte"),
            (volume.downwardAPI != nil, "downwarAPI", {
                validateDownwardAPISource(volume.downwardAPI, path: path.child("downwardAPI"))
            }),
            other("fc"), other("flexVolume"),
            (volume.configMap != nil, "configMap", { validateConfigMapSource(volume.configMap, path: path.child("configMap")) }),
            other("azureFile"), other("vsphereVolume"), other("photonPersistentDisk"), other("portworxVolume"),
            other("azureDisk"), other("storageos"),
            (volume.projected != nil, "projected", { validateProjected(volume.projected, path: path.child("projected")) }),
            other("scaleIO"), other("csi"), other("ephemeral"), other("image"),
        ]
        var errors: [FieldError] = []
        var found = 0
        for check in checks where check.present {
            if found > 0 {
                errors.append(.forbidden(path.child(check.errorName), "may not specify more than 1 volume type"))
            } else {
                found += 1
                errors += check.validate()
            }
        }
        if found == 0 {
            errors.append(.required(path, "must specify a volume type"))
        }
        return errors
    }

    private static func validateEmptyDir(_ source: EmptyDirVolumeSource?, path: FieldPath) -> [FieldError] {
        if let limit = source?.sizeLimit, limit < zeroQuantity {
            return [.forbidden(path.child("sizeLimit"), "SizeLimit field must be a valid resource quantity")]
        }
        return []
    }

    static let supportedHostPathTypes: [HostPathType] = [
        .unset, .blockDevice, .charDevice, .directory, .directoryOrCreate, .file, .fileOrCreate, .socket,
    ]

    private static func validateHostPath(_ source: HostPathVolumeSource?, path: FieldPath) -> [FieldError] {
        guard let source, !source.path.isEmpty else { return [.required(path.child("path"))] }
        var errors = validatePathNoBacksteps(source.path, path: path.child("path"))
        if let type = source.type, !supportedHostPathTypes.contains(type) {
            errors.append(.notSupported(path.child("type"), type.rawValue, supported: supportedHostPathTypes.map(\.rawValue)))
        }
        return errors
    }

    private static func validateSecretSource(_ source: SecretVolumeSource?, path: FieldPath) -> [FieldError] {
        guard let source else { return [] }
        var errors: [FieldError] = []
        if (source.secretName ?? "").isEmpty { errors.append(.required(path.child("secretName"))) }
        errors += validateFileMode(source.defaultMode, path: path.child("defaultMode"))
        for (index, item) in (source.items ?? []).enumerated() {
            errors += validateKeyToPath(item, path: path.child("items").index(index))
        }
        return errors
    }

    private static func validateConfigMapSource(_ source: ConfigMapVolumeSource?, path: FieldPath) -> [FieldError] {
        guard let source else { return [] }
        var errors: [FieldError] = []
        if (source.name ?? "").isEmpty { errors.append(.required(path.child("name"))) }
        errors += validateFileMode(source.defaultMode, path: path.child("defaultMode"))
        for (index, item) in (source.items ?? []).enumerated() {
            errors += validateKeyToPath(item, path: path.child("items").index(index))
        }
        return errors
    }

    private static func validateDownwardAPISource(_ source: DownwardAPIVolumeSource?, path: FieldPath) -> [FieldError] {
        guard let source else { return [] }
        var errors = validateFileMode(source.defaultMode, path: path.child("defaultMode"))
        // Upstream reports item errors under the source's path, without the item index.
        for file in source.items ?? [] {
            errors += validateDownwardAPIFile(file, path: path)
        }
        return errors
    }

    static let volumeFieldPathExpressions: Set<String> = [
        "metadata.name", "metadata.namespace", "metadata.labels", "metadata.annotations", "metadata.uid",
    ]

    private static func validateDownwardAPIFile(_ file: DownwardAPIVolumeFile, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if file.path.isEmpty { errors.append(.required(path.child("path"))) }
        errors += validateLocalNonReservedPath(file.path, path: path.child("path"))
        if let fieldRef = file.fieldRef {
            errors += validateObjectFieldSelector(fieldRef, expressions: volumeFieldPathExpressions, path: path.child("fieldRef"))
            if file.resourceFieldRef != nil {
                errors.append(.invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
            }
        } else if let resourceRef = file.resourceFieldRef {
            errors += validateResourceFieldSelector(resourceRef, path: path.child("resourceFieldRef"), inVolume: true)
        } else {
            errors.append(.required(path, "one of fieldRef and resourceFieldRef is required"))
        }
        errors += validateFileMode(file.mode, path: path.child("mode"))
        return errors
    }

    private static func validateProjected(_ source: ProjectedVolumeSource?, path: FieldPath) -> [FieldError] {
        guard let source else { return [] }
        var errors = validateFileMode(source.defaultMode, path: path.child("defaultMode"))
        var paths = Set<String>()
        for (index, projection) in source.sources.enumerated() {
            let sourcePath = path.child("sources").index(index)
            var count = 0
            if let secret = projection.secret {
                count += 1
                let secretPath = sourcePath.child("secret")
                if (secret.name ?? "").isEmpty { errors.append(.required(secretPath.child("name"))) }
                for (itemIndex, item) in (secret.items ?? []).enumerated() {
                    errors += validateKeyToPath(item, path: secretPath.child("items").index(itemIndex))
                    if !item.path.isEmpty, !paths.insert(item.path).inserted {
                        errors.append(.invalid(path, secret.name ?? "", "conflicting duplicate paths"))
                    }
                }
            }
            if let configMap = projection.configMap {
                count += 1
                let configMapPath = sourcePath.child("configMap")
                if (configMap.name ?? "").isEmpty { errors.append(.required(configMapPath.child("name"))) }
                for (itemIndex, item) in (configMap.items ?? []).enumerated() {
                    errors += validateKeyToPath(item, path: configMapPath.child("items").index(itemIndex))
                    if !item.path.isEmpty, !paths.insert(item.path).inserted {
                        errors.append(.invalid(path, configMap.name ?? "", "conflicting duplicate paths"))
                    }
                }
            }
            if let downward = projection.downwardAPI {
                count += 1
                for file in downward.items ?? [] {
                    errors += validateDownwardAPIFile(file, path: sourcePath.child("downwardAPI"))
                    if !file.path.isEmpty, !paths.insert(file.path).inserted {
                        errors.append(.invalid(path, file.path, "conflicting duplicate paths"))
                    }
                }
            }
            if let token = projection.serviceAccountToken {
                count += 1
                let tokenPath = sourcePath.child("serviceAccountToken")
                let expiration = token.expirationSeconds ?? 0
                if expiration < 10 * 60 {
                    errors.append(.invalid(tokenPath.child("expirationSeconds"), expiration, "may not specify a duration less than 10 minutes"))
                }
                if expiration > 1 << 32 {
                    errors.append(.invalid(tokenPath.child("expirationSeconds"), expiration, "may not specify a duration larger than 2^32 seconds"))
                }
                // Upstream names the projected volume's path here, not the token's.
                if token.path.isEmpty {
                    errors.append(.required(path.child("path")))
                } else {
                    errors += validateLocalNonReservedPath(token.path, path: path.child("path"))
                }
            }
            if projection.clusterTrustBundle != nil { count += 1 }
            if count > 1 {
                errors.append(.forbidden(sourcePath, "may not specify more than 1 volume type per source"))
            }
        }
        return errors
    }

    static func validateKeyToPath(_ item: KeyToPath, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if item.key.isEmpty { errors.append(.required(path.child("key"))) }
        if item.path.isEmpty { errors.append(.required(path.child("path"))) }
        errors += validateLocalNonReservedPath(item.path, path: path.child("path"))
        errors += validateFileMode(item.mode, path: path.child("mode"))
        return errors
    }

    static func validateFileMode(_ mode: Int32?, path: FieldPath) -> [FieldError] {
        guard let mode, mode < 0 || mode > 0o777 else { return [] }
        return [.invalid(path, mode, fileModeMessage)]
    }

    // MARK: Paths

    /// No `..` element anywhere.
    static func validatePathNoBacksteps(_ target: String, path: FieldPath) -> [FieldError] {
        target.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [.invalid(path, target, "must not contain '..'")] : []
    }

    /// Relative and without `..` elements (upstream's validateLocalDescendingPath).
    static func validateLocalDescendingPath(_ target: String, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if target.hasPrefix("/") { errors.append(.invalid(path, target, "must be a relative path")) }
        errors += validatePathNoBacksteps(target, path: path)
        return errors
    }

    /// Relative, without `..` elements, and not starting with `..` (such as `..data`, which
    /// the atomic writer behind secret and configMap volumes reserves).
    static func validateLocalNonReservedPath(_ target: String, path: FieldPath) -> [FieldError] {
        var errors = validateLocalDescendingPath(target, path: path)
        if target.hasPrefix(".."), !target.hasPrefix("../") {
            errors.append(.invalid(path, target, "must not start with '..'"))
        }
        return errors
    }
}
