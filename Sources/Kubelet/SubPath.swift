import CLinux
import Glibc
import KubeAPI
import LinuxSys

/// A volumeMount's subPath, checked and created here as upstream's kubelet does it
/// (`makeMounts`), with its messages. The mount itself is made by the shim, which resolves
/// the path below the volume again when it clones it (`beneath=` in the setup plan): the
/// resolution here only decides the error the pod reports, the shim's is the one that
/// counts, so a symlink swapped in between can make a start fail but never mount
/// anything outside the volume.
enum SubPath {
    /// The mount's subPath: `subPath`, or `subPathExpr` with `$(VAR)` taken from the
    /// container's environment; nil for the whole volume.
    static func of(_ mount: VolumeMount, environment: [String: String]) throws -> String? {
        var path = mount.subPath ?? ""
        if let expression = mount.subPathExpr, !expression.isEmpty {
            var missing = Set<String>()
            path = ContainerTranslation.expand(expression) { (name: String) -> String? in
                let value = environment[name] ?? ""
                if value.isEmpty { missing.insert(name) }
                return value
            }
            if !missing.isEmpty { throw ContainerConfigError("missing value for \(missing.sorted().joined(separator: ", "))") }
        }
        guard !path.isEmpty else { return nil }
        if path.hasPrefix("/") { throw ContainerConfigError("error SubPath `\(path)` must not be an absolute path") }
        if path.split(separator: "/").contains("..") {
            throw ContainerConfigError("unable to provision SubPath `\(path)`: must not contain '..'")
        }
        return path
    }

    private static let resolve = UInt64(RESOLVE_BENEATH) | UInt64(RESOLVE_NO_MAGICLINKS)

    /// Makes sure `path` exists below `volume` without leading out of it. Missing
    /// directories are created with the volume's own mode (so that a group, fsGroup
    /// later, can use them), each inside the resolved parent.
    static func prepare(_ path: String, volume: String, mount: String, container: String) throws {
        let subject = "volumeMount \"\(mount)\" of container \"\(container)\""
        do {
            let base = try FileDescriptor.open(volume, O_PATH | O_DIRECTORY)
            do {
                _ = try base.open(path, O_PATH, resolve: resolve)
                return
            } catch let error as SystemError where error.errno == ENOENT {}
            do {
                try makeDirectories(path, below: base)
            } catch {
                // As upstream: the details (host paths) go to the log, not to the pod.
                throw ContainerConfigError("failed to create subPath directory for \(subject)", detail: "\(error)")
            }
            _ = try base.open(path, O_PATH, resolve: resolve)
        } catch let error as ContainerConfigError {
            throw error
        } catch {
            throw ContainerConfigError("failed to prepare subPath for \(subject)", detail: "\(error)")
        }
    }

    private static func makeDirectories(_ path: String, below base: FileDescriptor) throws {
        let mode = try base.stat().st_mode & 0o7777
        var prefix = ""
        for component in path.split(separator: "/") where component != "." {
            let parent = prefix.isEmpty ? base : try base.open(prefix, O_PATH | O_DIRECTORY, resolve: resolve)
            prefix += (prefix.isEmpty ? "" : "/") + component
            let name = String(component)
            if try sys("mkdirat", "\(base.name)/\(prefix)", tolerating: EEXIST, { mkdirat(parent.raw, name, mode) }) == nil { continue }
            // mkdir is subject to the umask; the directory (resolved again, below the
            // volume) gets the mode exactly.
            let created = try base.open(prefix, O_RDONLY | O_DIRECTORY, resolve: resolve)
            try sys("fchmod", created.name) { fchmod(created.raw, mode) }
        }
    }
}
