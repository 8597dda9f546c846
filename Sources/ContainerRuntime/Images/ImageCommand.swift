import Glibc
import LinuxSys

/// `swiftlet image …`, for the executable to call with the arguments after `image`:
///
///     swiftlet image import FILE|DIR [--name NAME]
///     swiftlet image ls
///     swiftlet image inspect REF
///     swiftlet image rm REF...
///     swiftlet image gc
///     swiftlet image example DIR [--name NAME] [--docker-save FILE]
///
/// Returns the exit status; errors are printed as one line on stderr.
public enum ImageCommand {
    public static let usage = """
        usage: swiftlet image import FILE|DIR [--name NAME]
               swiftlet image ls
               swiftlet image inspect REF
               swiftlet image rm REF...
               swiftlet image gc
               swiftlet image example DIR [--name NAME] [--docker-save FILE]
        """

    public static func run(_ arguments: [String], store: ImageStore) -> Int32 {
        do {
            return try execute(arguments, store: store)
        } catch {
            printLine("swiftlet: \(error)", fd: 2)
            return 125  // as the rest of the CLI (and podman) report their own errors
        }
    }

    private static func execute(_ arguments: [String], store: ImageStore) throws -> Int32 {
        guard let command = arguments.first else {
            printLine(usage, fd: 2)
            return 2
        }
        var rest = Array(arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let i = rest.firstIndex(of: name), i + 1 < rest.count else { return nil }
            let value = rest[i + 1]
            rest.removeSubrange(i...(i + 1))
            return value
        }
        switch command {
        case "import", "load":
            let name = option("--name")
            guard rest.count == 1 else { printLine(usage, fd: 2); return 2 }
            for record in try store.importImage(path: rest[0], name: name) {
                printLine("imported \(record.displayName) \(record.manifestDigest)")
            }
        case "ls", "list", "images":
            let records = try store.list()
            var rows = [["IMAGE", "ID", "SIZE", "CREATED"]]
            for r in records {
                rows.append([r.name ?? "<none>", String(r.configDigest.dropFirst(7).prefix(12)),
                             formatSize(r.size), String(r.created.prefix(19)).replacingOccurrences("T", " ")])
            }
            TextOutput.table(rows)
        case "inspect":
            guard rest.count == 1 else { printLine(usage, fd: 2); return 2 }
            let image = try store.resolve(rest[0])
            printLine("name: \(image.name)")
            printLine("manifest: \(image.manifestDigest)")
            printLine("id: \(image.configDigest)")
            printLine("platform: \(image.os ?? "?")/\(image.architecture ?? "?")")
            printLine("entrypoint: \(image.config.entrypoint ?? [])")
            printLine("cmd: \(image.config.cmd ?? [])")
            printLine("env: \(image.config.env ?? [])")
            printLine("workdir: \(image.config.workingDir ?? "")")
            printLine("user: \(image.config.user ?? "")")
            printLine("layers (bottom first):")
            for dir in image.layerDirectories { printLine("  \(dir)") }
        case "rm", "rmi", "remove":
            guard !rest.isEmpty else { printLine(usage, fd: 2); return 2 }
            for ref in rest {
                for record in try store.remove(ref) { printLine("removed \(record.displayName)") }
            }
        case "gc":
            let (blobs, snapshots) = try store.garbageCollect()
            printLine("removed \(blobs) blob(s), \(snapshots) snapshot(s)")
        case "example":
            let name = option("--name") ?? ExampleImage.defaultName
            let dockerSave = option("--docker-save")
            guard rest.count == 1 else { printLine(usage, fd: 2); return 2 }
            let manifest = try ExampleImage.busybox(at: rest[0], name: name)
            printLine("wrote OCI layout \(rest[0]) (\(name), \(manifest.digest))")
            if let dockerSave {
                try ExampleImage.dockerSave(to: dockerSave, name: name)
                printLine("wrote docker save archive \(dockerSave)")
            }
        default:
            printLine(usage, fd: 2)
            return 2
        }
        return 0
    }

    static func formatSize(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes)B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)\(units[unit])"
    }

    private static func printLine(_ line: String, fd: Int32 = 1) { TextOutput.line(line, fd: fd) }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
