// Validation of pod and container security contexts (upstream's
// validatePodSpecSecurityContext and ValidateSecurityContext).

extension PodValidation {
    /// Upstream keeps hostNetwork/hostPID/hostIPC/shareProcessNamespace in the internal
    /// security context, so errors about them carry `spec.securityContext` paths.
    static func validatePodSecurityContext(_ spec: PodSpec, path: FieldPath, options: PodValidationOptions) -> [FieldError] {
        guard let context = spec.securityContext else { return [] }
        var errors: [FieldError] = []
        if let group = context.fsGroup {
            errors += NameValidation.isValidGroupID(group).map { FieldError.invalid(path.child("fsGroup"), group, $0) }
        }
        if let user = context.runAsUser {
            errors += NameValidation.isValidUserID(user).map { FieldError.invalid(path.child("runAsUser"), user, $0) }
        }
        if let group = context.runAsGroup {
            errors += NameValidation.isValidGroupID(group).map { FieldError.invalid(path.child("runAsGroup"), group, $0) }
        }
        for (index, group) in (context.supplementalGroups ?? []).enumerated() {
            errors += NameValidation.isValidGroupID(group).map {
                FieldError.invalid(path.child("supplementalGroups").index(index), group, $0)
            }
        }
        if spec.shareProcessNamespace == true, spec.hostPID == true {
            errors.append(.invalid(path.child("shareProcessNamespace"), .bool(true),
                                   "ShareProcessNamespace and HostPID cannot both be enabled"))
        }
        errors += validateSysctls(context.sysctls ?? [], spec: spec, path: path.child("sysctls"), options: options)
        if let policy = context.fsGroupChangePolicy, policy != "Always", policy != "OnRootMismatch" {
            errors.append(.notSupported(path.child("fsGroupChangePolicy"), policy, supported: ["Always", "OnRootMismatch"]))
        }
        errors += validateSeccompProfile(context.seccompProfile, path: path.child("seccompProfile"))
        errors += validateAppArmorProfile(context.appArmorProfile, path: path.child("appArmorProfile"))
        if let policy = context.supplementalGroupsPolicy, policy != "Merge", policy != "Strict" {
            errors.append(.notSupported(path.child("supplementalGroupsPolicy"), policy, supported: ["Merge", "Strict"]))
        }
        if let policy = context.seLinuxChangePolicy, policy != "MountOption", policy != "Recursive" {
            errors.append(.notSupported(path.child("seLinuxChangePolicy"), policy, supported: ["MountOption", "Recursive"]))
        }
        return errors
    }

    /// Segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`, at most 253 long.
    static func isValidSysctlName(_ name: String) -> Bool {
        guard name.utf8.count <= 253 else { return false }
        return name.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "/" }.allSatisfy { segment in
            let bytes = Array(segment.utf8)
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isLowerAlnum(first) && isLowerAlnum(last)
                && bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        }
    }

    private static func validateSysctls(_ sysctls: [Sysctl], spec: PodSpec, path: FieldPath,
                                        options: PodValidationOptions) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (index, sysctl) in sysctls.enumerated() {
            let namePath = path.index(index).child("name")
            if sysctl.name.isEmpty {
                errors.append(.required(namePath))
            } else if !isValidSysctlName(sysctl.name) {
                errors.append(.invalid(namePath, sysctl.name,
                                       "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"))
            } else if names.contains(sysctl.name) {
                errors.append(.duplicate(namePath, .string(sysctl.name)))
            }
            if !options.allowNamespacedSysctlsForHostNetAndHostIPC {
                // A namespaced sysctl would change the host's own namespace.
                let name = sysctl.name.replacingSlashes()
                let isNet = name.hasPrefix("net.")
                let isIPC = name.hasPrefix("kernel.shm") || name.hasPrefix("kernel.msg") || name == "kernel.sem"
                    || name.hasPrefix("fs.mqueue.")
                if spec.hostNetwork == true, isNet {
                    errors.append(.invalid(namePath, sysctl.name, "may not be specified when 'hostNetwork' is true"))
                } else if spec.hostIPC == true, isIPC {
                    errors.append(.invalid(namePath, sysctl.name, "may not be specified when 'hostIPC' is true"))
                }
            }
            names.insert(sysctl.name)
        }
        return errors
    }

    static func validateSecurityContext(_ context: SecurityContext?, path: FieldPath,
                                        context pod: ContainerContext) -> [FieldError] {
        guard let context else { return [] }
        var errors: [FieldError] = []
        if context.privileged == true, !pod.options.allowPrivileged {
            errors.append(.forbidden(path.child("privileged"), "disallowed by cluster policy"))
        }
        if let user = context.runAsUser {
            errors += NameValidation.isValidUserID(user).map { FieldError.invalid(path.child("runAsUser"), user, $0) }
        }
        if let group = context.runAsGroup {
            errors += NameValidation.isValidGroupID(group).map { FieldError.invalid(path.child("runAsGroup"), group, $0) }
        }
        if let procMount = context.procMount {
            if procMount != .default, procMount != .unmasked {
                errors.append(.notSupported(path.child("procMount"), procMount.rawValue, supported: ["Default", "Unmasked"]))
            }
            // An unmasked /proc is only safe inside a user namespace.
            if pod.hostUsers, procMount == .unmasked {
                errors.append(.invalid(path.child("procMount"), procMount.rawValue, "`hostUsers` must be false to use `Unmasked`"))
            }
        }
        errors += validateSeccompProfile(context.seccompProfile, path: path.child("seccompProfile"))
        if context.allowPrivilegeEscalation == false {
            if context.privileged == true {
                errors.append(.invalid(path, .literal(goLiteral(context)),
                                       "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
            }
            for capability in context.capabilities?.add ?? [] where capability == "CAP_SYS_ADMIN" {
                errors.append(.invalid(path, .literal(goLiteral(context)),
                                       "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"))
            }
        }
        errors += validateAppArmorProfile(context.appArmorProfile, path: path.child("appArmorProfile"))
        return errors
    }

    static func validateSeccompProfile(_ profile: SeccompProfile?, path: FieldPath) -> [FieldError] {
        guard let profile else { return [] }
        var errors: [FieldError] = []
        switch profile.type {
        case .localhost, .runtimeDefault, .unconfined: break
        case "": errors.append(.required(path.child("type"), "type is required when seccompProfile is set"))
        default:
            errors.append(.notSupported(path.child("type"), profile.type.rawValue,
                                        supported: ["Localhost", "RuntimeDefault", "Unconfined"]))
        }
        if profile.type == .localhost {
            if let localhost = profile.localhostProfile {
                errors += validateLocalDescendingPath(localhost, path: path.child("localhostProfile"))
            } else {
                errors.append(.required(path.child("localhostProfile"), "must be set when seccomp type is Localhost"))
            }
        } else if profile.localhostProfile != nil {
            errors.append(.invalid(path.child("localhostProfile"),
                                   .literal("core.SeccompProfile{Type:\(goQuote(profile.type.rawValue)), LocalhostProfile:\(goQuote(profile.localhostProfile ?? ""))}"),
                                   "can only be set when seccomp type is Localhost"))
        }
        return errors
    }

    static func validateAppArmorProfile(_ profile: AppArmorProfile?, path: FieldPath) -> [FieldError] {
        guard let profile else { return [] }
        switch profile.type {
        case "Localhost":
            guard let localhost = profile.localhostProfile else {
                return [.required(path.child("localhostProfile"), "must be set when AppArmor type is Localhost")]
            }
            var errors: [FieldError] = []
            let trimmed = localhost.trimmingGoSpace()
            if trimmed != localhost {
                errors.append(.invalid(path.child("localhostProfile"), localhost, "must not be padded with whitespace"))
            } else if trimmed.isEmpty {
                errors.append(.required(path.child("localhostProfile"), "must be set when AppArmor type is Localhost"))
            }
            if localhost.utf8.count > 4095 {
                errors.append(.tooLong(path.child("localhostProfile"), maxLength: 4095))
            }
            return errors
        case "RuntimeDefault", "Unconfined":
            if let localhost = profile.localhostProfile {
                return [.invalid(path.child("localhostProfile"), localhost, "can only be set when AppArmor type is Localhost")]
            }
            return []
        case "":
            return [.required(path.child("type"), "type is required when appArmorProfile is set")]
        default:
            return [.notSupported(path.child("type"), profile.type, supported: ["Localhost", "RuntimeDefault", "Unconfined"])]
        }
    }

    /// A Go-like rendering of the fields that were set; upstream prints the struct with
    /// `%#v`, pointer addresses included, which no one can match.
    private static func goLiteral(_ context: SecurityContext) -> String {
        var fields: [String] = []
        if let privileged = context.privileged { fields.append("Privileged:\(privileged)") }
        if let escalation = context.allowPrivilegeEscalation { fields.append("AllowPrivilegeEscalation:\(escalation)") }
        if let add = context.capabilities?.add { fields.append("Capabilities.Add:\(goStringSlice(add))") }
        return "core.SecurityContext{" + fields.joined(separator: ", ") + "}"
    }
}

extension String {
    /// Sysctl names may use `/` for `.`; the namespace check reads them dotted.
    func replacingSlashes() -> String { String(map { $0 == "/" ? "." : $0 }) }
}
