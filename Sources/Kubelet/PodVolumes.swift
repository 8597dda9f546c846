import CLinux
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
        let fsGroup = pod.spec.securityContext?.fsGroup.map { UInt32(truncatingIfNeeded: $0) }
        for volume in pod.spec.volumes ?? [] {
            if let emptyDir = volume.emptyDir {
                let dir = "\(podDirectory)/volumes/kubernetes.io~empty-dir/\(volume.name)"
                // Made once: a later sync must not undo what fsGroup set (setgid).
                var made = !Files.isDirectory(dir)
                try Files.createDirectory(dir, mode: 0o777)
                if emptyDir.medium == .memory, !Files.isMountPoint(dir) {
                    var options = "mode=1777"
                    if let limit = emptyDir.sizeLimit, !limit.isZero { options += ",size=\(limit.value)" }
                    try sys("mount tmpfs on", dir) { mount("tmpfs", dir, "tmpfs", UInt(MS_NOSUID | MS_NODEV), options) }
                    made = true
                }
                if made { try sys("chmod", dir) { chmod(dir, 0o777) } }
                // As upstream's OnRootMismatch: the walk runs when the volume is new (or its
                // group was changed), not on every sync.
                if let fsGroup, (try? FileDescriptor.open(dir, O_PATH | O_DIRECTORY).stat().st_gid) != fsGroup {
                    try applyGroup(dir, gid: fsGroup, readOnly: false)
                }
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
                                 fsGroup: fsGroup, what: "configmap \"\(source.name ?? "")\"")
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
                                 fsGroup: fsGroup, what: "secret \"\(source.secretName ?? "")\"")
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
                                 fsGroup: fsGroup, what: "downwardAPI volume \"\(volume.name)\"")
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
    /// Writes a content volume's files (atomically, each; one unchanged in bytes, mode and
    /// group is left alone, so a sync every second does not churn them). With an fsGroup,
    /// files and directories get that group and group read (directories also setgid).
    static func writeContent(_ content: [String: [UInt8]], items: [KeyToPath]?, defaultMode: Int32, into dir: String,
                             fsGroup: UInt32? = nil, what: String) throws {
        func makeDirectory(_ path: String) throws {
            try Files.createDirectory(path)
            if let fsGroup { try setGroup(path, gid: fsGroup, mode: 0o2755) }
        }
        try makeDirectory(dir)
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
            var directory = Files.dirname(target)
            var missing: [String] = []
            while directory != dir, !Files.isDirectory(directory) { missing.append(directory); directory = Files.dirname(directory) }
            for path in missing.reversed() { try makeDirectory(path) }
            let mode = mode_t(file.mode & 0o777) | (fsGroup == nil ? 0 : 0o440)
            var st = stat()
            if lstat(target, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_mode & 0o7777 == mode,
               fsGroup.map({ st.st_gid == $0 }) ?? true, (try? Files.read(target)) == file.bytes {
                continue
            }
            try Files.writeAtomically(target, file.bytes, mode: mode, durable: false)
            // The mode exactly (the umask cut it at creation), and the group.
            try setGroup(target, gid: fsGroup, mode: mode)
        }
    }

    /// Sets `path`'s mode and (when given) group; the kubelet's own files only.
    private static func setGroup(_ path: String, gid: UInt32?, mode: mode_t) throws {
        if let gid { try sys("chown", path) { lchown(path, uid_t.max, gid) } }
        try sys("chmod", path) { chmod(path, mode) }
    }

    /// upstream's SetVolumeOwnership for an fsGroup: everything in the volume gets group
    /// `gid` and group read (and write, unless `readOnly`); directories also group search
    /// and setgid, so what is created in them later has the group too. A container may
    /// change the volume meanwhile: the walk holds a descriptor for each object, changes
    /// it through that descriptor and never follows a symlink.
    static func applyGroup(_ path: String, gid: UInt32, readOnly: Bool) throws {
        let fileBits: mode_t = readOnly ? 0o440 : 0o660
        func own(_ object: FileDescriptor, _ st: stat) throws {
            let isDirectory = st.st_mode & S_IFMT == S_IFDIR
            try sys("chown", object.name) { fchownat(object.raw, "", uid_t.max, gid, AT_EMPTY_PATH) }
            let mode = st.st_mode & 0o7777 | fileBits | (isDirectory ? 0o110 | S_ISGID : 0)
            // chmod through /proc/self/fd: the object itself, whatever its path is now.
            try sys("chmod", object.name) { chmod("/proc/self/fd/\(object.raw)", mode) }
        }
        func walk(_ directory: FileDescriptor) throws {
            try own(directory, try directory.stat())
            for name in try Files.list("/proc/self/fd/\(directory.raw)") {
                let object = try directory.open(name, O_PATH | O_NOFOLLOW, resolve: UInt64(RESOLVE_BENEATH) | UInt64(RESOLVE_NO_SYMLINKS))
                let st = try object.stat()
                switch st.st_mode & S_IFMT {
                case S_IFLNK: continue
                case S_IFDIR: try walk(try directory.open(name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, resolve: UInt64(RESOLVE_BENEATH) | UInt64(RESOLVE_NO_SYMLINKS)))
                case S_IFREG: try own(object, st)
                default: continue  // devices, fifos, sockets: left as they are
                }
            }
        }
        try walk(try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW))
    }
}
