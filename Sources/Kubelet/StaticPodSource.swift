import Crypto
import Foundation
import KubeAPI
import LinuxSys

/// A pod read from a file in the static pod directory, named and annotated as the
/// upstream kubelet does it: `<name>-<node name>` in `default` unless the file says
/// otherwise, `spec.nodeName` set, and a UID that is a hash of the content, the node and
/// the file — so an edit gives a new UID (`kubernetes.io/config.hash`), which is how the
/// kubelet knows to recreate the pod.
public struct StaticPod: Sendable, Equatable {
    public var pod: Pod
    /// The file it came from.
    public var file: String
    /// `namespace/name`
    public var fullName: String { "\(pod.metadata.namespace ?? "default")/\(pod.metadata.name ?? "")" }
    /// The config hash (also the UID).
    public var hash: String { pod.metadata.uid ?? "" }
}

/// A file the kubelet could not use, and why (one line).
public struct StaticPodProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// What the static pod directory says now.
public struct StaticPodSnapshot: Sendable, Equatable {
    /// By full name; at most one pod per name.
    public var pods: [StaticPod] = []
    /// ConfigMaps and Secrets from the same directory, for volumes and env of its pods.
    public var configMaps: [ConfigMap] = []
    public var secrets: [Secret] = []
    public var problems: [StaticPodProblem] = []

    public init() {}
}

public enum StaticPodSource {
    public static let sourceAnnotation = "kubernetes.io/config.source"
    public static let hashAnnotation = "kubernetes.io/config.hash"
    public static let mirrorAnnotation = "kubernetes.io/config.mirror"

    /// Reads every regular, non-hidden file of `directory` (sorted by name: when two files
    /// define one pod, the first keeps it). A file that does not parse or validate is a
    /// problem and contributes nothing; the others are unaffected.
    public static func scan(directory: String, nodeName: String) -> StaticPodSnapshot {
        var snapshot = StaticPodSnapshot()
        let names: [String]
        do {
            names = try Files.list(directory).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            snapshot.problems.append(StaticPodProblem(file: directory, message: "\(error)"))
            return snapshot
        }
        var owners: [String: String] = [:]
        for name in names {
            let path = "\(directory)/\(name)"
            guard fileType(path) == S_IFREG else { continue }
            do {
                let bytes = try Files.read(path)
                var pods: [StaticPod] = []
                var configMaps: [ConfigMap] = []
                var secrets: [Secret] = []
                for object in try Manifest.decode(Data(bytes)) {
                    switch object {
                    case .pod(let pod):
                        pods.append(StaticPod(pod: try prepare(pod, nodeName: nodeName, file: path), file: path))
                    case .configMap(var configMap):
                        configMap.setDefaults()
                        configMaps.append(configMap)
                    case .secret(var secret):
                        secret.setDefaults()
                        secrets.append(secret)
                    }
                }
                for pod in pods {
                    if let owner = owners[pod.fullName] {
                        throw StaticPodError("pod \"\(pod.fullName)\" is already defined in \(owner)")
                    }
                    owners[pod.fullName] = path
                }
                snapshot.pods += pods
                snapshot.configMaps += configMaps
                snapshot.secrets += secrets
            } catch {
                snapshot.problems.append(StaticPodProblem(file: path, message: "\(error)"))
            }
        }
        snapshot.pods.sort { $0.fullName < $1.fullName }
        return snapshot
    }

    /// The next desired state: `current`, except that a file which exists but fails now
    /// keeps the pods it gave before — a typo in an edit does not stop a running pod; the
    /// problem is reported until it is fixed. A deleted file's pods go.
    public static func merge(previous: StaticPodSnapshot?, current: StaticPodSnapshot) -> StaticPodSnapshot {
        guard let previous else { return current }
        var merged = current
        let failing = Set(current.problems.map(\.file))
        let present = Set(current.pods.map(\.fullName))
        for pod in previous.pods where failing.contains(pod.file) && !present.contains(pod.fullName) && Files.exists(pod.file) {
            merged.pods.append(pod)
        }
        merged.pods.sort { $0.fullName < $1.fullName }
        return merged
    }

    /// Upstream's applyDefaults for file sources, then the API defaults and validation.
    static func prepare(_ original: Pod, nodeName: String, file: String) throws -> Pod {
        var pod = original
        let node = nodeName.lowercased()
        var hasher = SHA256()
        hasher.update(data: try canonicalJSON(original))
        hasher.update(data: Data("host:\(node)".utf8))
        hasher.update(data: Data("file:\(file)".utf8))
        let hash = hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
        pod.metadata.uid = hash
        pod.metadata.name = (original.metadata.name ?? "") + "-" + node
        if (pod.metadata.namespace ?? "").isEmpty { pod.metadata.namespace = "default" }
        pod.spec.nodeName = node
        var annotations = pod.metadata.annotations ?? [:]
        annotations[hashAnnotation] = hash
        annotations[sourceAnnotation] = "file"
        pod.metadata.annotations = annotations
        pod.setDefaults()
        let errors = pod.validateCreate()
        if !errors.isEmpty {
            throw StaticPodError("pod \"\(original.metadata.name ?? "")\": \(errors)")
        }
        return pod
    }

    private static func canonicalJSON(_ pod: Pod) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(pod)
    }

    private static func fileType(_ path: String) -> mode_t? {
        var st = stat()
        guard (try? sys("stat", path, tolerating: ENOENT, { stat(path, &st) })) != nil else { return nil }
        return st.st_mode & S_IFMT
    }
}

struct StaticPodError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
