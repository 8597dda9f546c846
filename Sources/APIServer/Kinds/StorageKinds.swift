import KubeAPI

// Stored volumes: core/v1 persistentvolumes and persistentvolumeclaims (no provisioner
// acts on them yet).
extension ResourceType {
    static let persistentVolumes = ResourceType(
        group: "", version: "v1", name: "persistentvolumes", singular: "persistentvolume", kind: "PersistentVolume",
        namespaced: false, shortNames: ["pv"],
        schema: CoreV1.PersistentVolume.self,
        columns: [
            Column("Capacity", "") { $0["spec"]?["capacity"]?["storage"] ?? "" },
            Column("Access Modes", "") { .string(accessModes($0["spec"]?["accessModes"])) },
            Column("Reclaim Policy", "") { $0["spec"]?["persistentVolumeReclaimPolicy"] ?? "" },
            Column("Status", "") { $0["status"]?["phase"] ?? "" },
            Column("Claim", "") { pv in
                guard let claim = pv["spec"]?["claimRef"], claim != .null else { return "" }
                return .string("\(claim["namespace"]?.stringValue ?? "")/\(claim["name"]?.stringValue ?? "")")
            },
            Column("StorageClass", "") { $0["spec"]?["storageClassName"] ?? "" },
            Column("VolumeAttributesClass", "") { orNone($0["spec"]?["volumeAttributesClassName"]?.stringValue) },
            Column("Reason", "") { $0["status"]?["reason"] ?? "" },
            ageColumn,
            Column("VolumeMode", priority: 1, "") { $0["spec"]?["volumeMode"] ?? "" },
        ],
        applyDefaults: { pv in
            if pv["spec"]?["persistentVolumeReclaimPolicy"] == nil { pv["spec"]?["persistentVolumeReclaimPolicy"] = "Retain" }
            if pv["spec"]?["volumeMode"] == nil { pv["spec"]?["volumeMode"] = "Filesystem" }
            if pv["status"]?["phase"] == nil { pv["status"] = .object(["phase": "Pending"]) }
        },
        subresources: [.status])

    static let persistentVolumeClaims = ResourceType(
        group: "", version: "v1", name: "persistentvolumeclaims", singular: "persistentvolumeclaim", kind: "PersistentVolumeClaim",
        namespaced: true, shortNames: ["pvc"],
        schema: CoreV1.PersistentVolumeClaim.self,
        columns: [
            Column("Status", "") { $0["status"]?["phase"] ?? "" },
            Column("Volume", "") { $0["spec"]?["volumeName"] ?? "" },
            Column("Capacity", "") { $0["status"]?["capacity"]?["storage"] ?? "" },
            Column("Access Modes", "") { .string(accessModes($0["status"]?["accessModes"])) },
            Column("StorageClass", "") { $0["spec"]?["storageClassName"] ?? "" },
            Column("VolumeAttributesClass", "") { orNone($0["spec"]?["volumeAttributesClassName"]?.stringValue) },
            ageColumn,
            Column("VolumeMode", priority: 1, "") { $0["spec"]?["volumeMode"] ?? "" },
        ],
        applyDefaults: { pvc in
            if pvc["spec"]?["volumeMode"] == nil { pvc["spec"]?["volumeMode"] = "Filesystem" }
            if pvc["status"]?["phase"] == nil { pvc["status"] = .object(["phase": "Pending"]) }
        },
        subresources: [.status])

    /// RWO, ROX, RWX, RWOP, as upstream's GetAccessModesAsString.
    private static func accessModes(_ modes: JSONValue?) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        let present = Set(array(modes).compactMap(\.stringValue))
        return ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"].filter(present.contains).map { short[$0]! }.joined(separator: ",")
    }
}
