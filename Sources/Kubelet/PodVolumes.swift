import Foundation
import Glibc
import KubeAPI
import LinuxSys

/// Makes a pod's volumes exist on the host, under `<pod dir>/volumes/<plugin>/<name>`
/// as the upstream kubelet lays them out, and returns volume name → host path for the
/// containers' bind mounts. Content volumes (configMap, secret, downwardAPI) are
/// rewritten on every call, so an edit of the ConfigMap document reaches the pod.
public enum PodVolumes {
    public static func prepare(_ pod: Pod, podDirectory: String, configMaps: [ConfigMap], secrets: [Secret],
                               podIP: String?, hostIP: String) throws -> [String: String] {
        var paths: [String: String] = [:]
        for volume in pod.spec.volumes ?? [] {
            if let emptyDir = volume.emptyDir {
                let dir = "\(podDirectory)/volumes/kubernetes.io~empty-dir/\(volume.name)"
                try Files.createDirectory(dir, mode: 0o777)
                if emptyDir.medium == .memory, !Files.isMountPoint(dir) {
                    var options = "mode=1777"
                    if let limit = emptyDir.sizeLimit, !limit.isZero { options += ",size=\(limit.value)" }
                    try sys("mount tmpfs on", dir) { mount("tmpfs", dir, "tmpfs", UInt(MS_NOSUID | MS_NODEV), options) }
                }
                chmod(dir, 0o777)
                paths[volume.name] = dir
            } else if let hostPath = volume.hostPath {
                try checkHostPath(hostPath)
                paths[volume.name] = hostPath.path
            } else if let source = volume.configMap {
                let dir = "\(podDirectory)/volumes/kubernetes.io~configmap/\(volume.name)"
                guard let map = configMaps.first(where: { $0.metadata.name == source.name }) else {
                    if source.optional == true {
                        try Files.createDirectory(dir)
                        paths[volume.name] = dir
                        continue
                    }
                    throw ContainerConfigError("configmap \"\(source.name ?? "")\" not found")
                }
                var content: [String: [UInt8]] = [:]
                for (key, value) in map.data ?? [:] { content[key] = Array(value.utf8) }
                for (key, value) in map.binaryData ?? [:] { content[key] = Array(value) }
                try writeContent(content, items: source.items, defaultMode: source.defaultMode ?? 0o644, into: dir,
                                 what: "configmap \"\(source.name ?? "")\"")
                paths[volume.name] = dir
            } else if let source = volume.secret {
                let dir = "\(podDirectory)/volumes/kubernetes.io~secret/\(volume.name)"
                guard let secret = secrets.first(where: { $0.metadata.name == source.secretName }) else {
                    if source.optional == true {
                        try Files.createDirectory(dir)
                        paths[volume.name] = dir
                        continue
                    }
                    throw ContainerConfigError("secret \"\(source.secretName ?? "")\" not found")
                }
                var content: [String: [UInt8]] = [:]
                for (key, value) in secret.data ?? [:] { content[key] = Array(value) }
                try writeContent(content, items: source.items, defaultMode: source.defaultMode ?? 0o644, into: dir,
                                 what: "secret \"\(source.secretName ?? "")\"")
                paths[volume.name] = dir
            } else if let source = volume.downwardAPI {
                let dir = "\(podDirectory)/volumes/kubernetes.io~downward-api/\(volume.name)"
                var content: [String: [UInt8]] = [:]
                var items: [KeyToPath] = []
                for item in source.items ?? [] {
                    guard let field = item.fieldRef else {
                        throw ContainerConfigError("downwardAPI volume \"\(volume.name)\": only fieldRef items are supported")
                    }
                    content[item.path] = Array(try ContainerTranslation.fieldValue(field.fieldPath, pod: pod, podIP: podIP, hostIP: hostIP).utf8)
                    items.append(KeyToPath(key: item.path, path: item.path, mode: item.mode))
                }
                try writeContent(content, items: items, defaultMode: source.defaultMode ?? 0o644, into: dir,
                                 what: "downwardAPI volume \"\(volume.name)\"")
                paths[volume.name] = dir
            } else {
                throw ContainerConfigError("volume \"\(volume.name)\": this volume type is not supported by a standalone kubelet")
            }
        }
        return paths
    }

    /// Unmounts memory-backed emptyDirs and deletes the pod's volume directories (never
    /// a hostPath: those are not under the pod directory).
    public static func remove(podDirectory: String) throws {
        let emptyDirs = "\(podDirectory)/volumes/kubernetes.io~empty-dir"
        for name in (try? Files.list(emptyDirs)) ?? [] where Files.isMountPoint("\(emptyDirs)/\(name)") {
            _ = try sys("umount", "\(emptyDirs)/\(name)", tolerating: EINVAL) { umount2("\(emptyDirs)/\(name)", Int32(MNT_DETACH)) }
        }
        try Files.removeTree(podDirectory)
    }

    /// The upstream hostPath type checks, with its messages.
    static func checkHostPath(_ source: HostPathVolumeSource) throws {
        let path = source.path
        var st = stat()
        let exists = stat(path, &st) == 0
        let kind = st.st_mode & S_IFMT
        func fail(_ what: String) -> ContainerConfigError {
            ContainerConfigError("hostPath type check failed: \(path) is not \(what)")
        }
        switch source.type?.rawValue ?? "" {
        case "":
            return
        case "DirectoryOrCreate":
            if !exists { try Files.createDirectory(path); return }
            guard kind == S_IFDIR else { throw fail("a directory") }
        case "Directory":
            guard exists, kind == S_IFDIR else { throw fail("a directory") }
        case "FileOrCreate":
            if !exists {
                try Files.createDirectory(Files.dirname(path))
                let fd = try sys("create", path) { open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
                close(fd)
                return
            }
            guard kind == S_IFREG else { throw fail("a file") }
        case "File":
            guard exists, kind == S_IFREG else { throw fail("a file") }
        case "Socket":
            guard exists, kind == S_IFSOCK else { throw fail("a socket file") }
        case "CharDevice":
            guard exists, kind == S_IFCHR else { throw fail("a character device") }
        case "BlockDevice":
            guard exists, kind == S_IFBLK else { throw fail("a block device") }
        default:
            throw ContainerConfigError("hostPath type \(source.type?.rawValue ?? "") is not supported")
        }
    }

    /// Writes the keys (or `items`) as files, removing files of keys that went away.
    static func writeContent(_ content: [String: [UInt8]], items: [KeyToPath]?, defaultMode: Int32, into dir: String,
                             what: String) throws {
        try Files.createDirectory(dir)
        var files: [(path: String, bytes: [UInt8], mode: Int32)] = []
        if let items {
            for item in items {
                guard let bytes = content[item.key] else { throw ContainerConfigError("\(what): key \(item.key) not found") }
                files.append((item.path, bytes, item.mode ?? defaultMode))
            }
        } else {
            files = content.sorted { $0.key < $1.key }.map { ($0.key, $0.value, defaultMode) }
        }
        let wanted = Set(files.map { String($0.path.split(separator: "/").first ?? "") })
        for existing in (try? Files.list(dir)) ?? [] where !wanted.contains(existing) {
            try Files.removeTree("\(dir)/\(existing)")
        }
        for file in files {
            // Validation already refused absolute paths and `..`; this is defence in depth.
            guard !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
                throw ContainerConfigError("\(what): invalid path \(file.path)")
            }
            let target = "\(dir)/\(file.path)"
            try Files.createDirectory(Files.dirname(target))
            try Files.writeAtomically(target, file.bytes, mode: mode_t(file.mode & 0o777), durable: false)
        }
    }
}
