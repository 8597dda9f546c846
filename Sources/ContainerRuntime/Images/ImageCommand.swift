import Dispatch
import Glibc
import LinuxSys
import Synchronization

/// `swiftlet image …`, for the executable to call with the arguments after `image`.
/// Returns the exit status; errors are printed as one line on stderr.
public enum ImageCommand {
    public static let usage = """
        usage: swiftlet image pull [--platform OS/ARCH[/VARIANT]] REF
               swiftlet image push IMAGE [REF]
               swiftlet image import FILE|DIR [--name NAME]
               swiftlet image ls
               swiftlet image inspect REF
               swiftlet image rm REF...
               swiftlet image prune [-a|--all]
               swiftlet image gc [--high-threshold PERCENT] [--low-threshold PERCENT]
               swiftlet image example DIR [--name NAME] [--docker-save FILE]
        """

    /// `registries` is the path of registries.yaml.
    public static func run(_ arguments: [String], runtime: Runtime, registries: String) -> Int32 {
        do {
            return try execute(arguments, runtime: runtime, registries: registries)
        } catch {
            printLine("swiftlet: \(error)", fd: 2)
            return 125  // as the rest of the CLI (and podman) report their own errors
        }
    }

    private static func execute(_ arguments: [String], runtime: Runtime, registries: String) throws -> Int32 {
        let store = runtime.images
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
        func flag(_ names: String...) -> Bool {
            guard let i = rest.firstIndex(where: names.contains) else { return false }
            rest.remove(at: i)
            return true
        }
        switch command {
        case "pull":
            let platform = try option("--platform").map(OCIPlatform.init(parsing:)) ?? .host
            guard rest.count == 1 else { printLine(usage, fd: 2); return 2 }
            try pull(rest[0], runtime: runtime, registries: registries, platform: platform, fd: 1)
        case "push":
            guard (1...2).contains(rest.count) else { printLine(usage, fd: 2); return 2 }
            try push(rest[0], to: rest.count == 2 ? rest[1] : nil, store: store, registries: registries)
        case "import", "load":
            let name = option("--name")
            guard rest.count == 1 else { printLine(usage, fd: 2); return 2 }
            for record in try store.importImage(path: rest[0], name: name) {
                printLine("imported \(record.displayName) \(record.manifestDigest)")
            }
        case "ls", "list", "images":
            var rows = [["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "SIZE", "LAST USED"]]
            for r in try store.list() {
                let ref = r.name.flatMap { try? ImageReference.parse($0) }
                rows.append([ref?.repository ?? "<none>", ref?.tag ?? "<none>", String(r.manifestDigest.prefix(19)),
                             String(r.configDigest.dropFirst(7).prefix(12)), formatSize(r.size),
                             r.lastUsed.map { String($0.prefix(19)).replacingOccurrences("T", " ") } ?? "never"])
            }
            TextOutput.table(rows)
        case "inspect":
            guard rest.count == 1 else { printLine(usage, fd: 2); return 2 }
            let image = try store.resolve(rest[0])
            printLine("name: \(image.name)")
            printLine("manifest: \(image.manifestDigest)")
            if let index = image.record.indexDigest { printLine("index: \(index)") }
            printLine("id: \(image.configDigest)")
            printLine("platform: \(image.os ?? "?")/\(image.architecture ?? "?")")
            printLine("size: \(formatSize(image.record.size))")
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
                for record in try runtime.removeImage(ref) { printLine("removed \(record.displayName)") }
            }
        case "prune":
            let all = flag("-a", "--all")
            guard rest.isEmpty else { printLine(usage, fd: 2); return 2 }
            let removed = try store.prune(inUse: try runtime.imagesInUse(), danglingOnly: !all)
            for record in removed { printLine("removed \(record.displayName)") }
            printLine("removed \(removed.count) image(s)")
        case "gc":
            let high = try option("--high-threshold").map { try percent($0) } ?? 85
            let low = try option("--low-threshold").map { try percent($0) } ?? 80
            guard rest.isEmpty else { printLine(usage, fd: 2); return 2 }
            let policy = try ImageGCPolicy(highPercent: high, lowPercent: low)
            let usage = try DiskUsage.of(store.root)
            let removed = try store.collectLeastRecentlyUsed(policy: policy, inUse: try runtime.imagesInUse())
            for record in removed { printLine("removed \(record.displayName)") }
            printLine("image filesystem \(usage.usedPercent)% used (thresholds \(low)%–\(high)%): "
                      + "removed \(removed.count) image(s)")
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

    /// Pulls with a progress display on `fd` (stdout for `image pull`, stderr when `run`
    /// pulls a missing image, so the container's output stays clean).
    @discardableResult
    public static func pull(_ reference: String, runtime: Runtime, registries: String,
                            platform: OCIPlatform = .host, fd: Int32) throws -> PullResult {
        let client = RegistryClient(config: try RegistryConfig.load(registries))
        let puller = ImagePuller(store: runtime.images, client: client)
        let progress = PullProgress(fd: fd)
        let result = try blocking {
            do {
                let result = try await puller.pull(reference, platform: platform, progress: progress.handle)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        progress.finish(result)
        return result
    }

    private static func push(_ local: String, to destination: String?, store: ImageStore, registries: String) throws {
        let record = try store.find(local).record
        let target = try ImageReference.parse(destination ?? record.name ?? local)
        let manifestDigest = try ContentDigest(parsing: record.manifestDigest)
        let bytes = try store.content.read(manifestDigest)
        let client = RegistryClient(config: try RegistryConfig.load(registries))
        let endpoint = client.config.pushEndpoint(for: target)
        let content = store.content
        let uploaded = try blocking {
            do {
                let n = try await client.push(bytes, mediaType: OCIMediaType.manifest, to: endpoint,
                                              reference: target.digest?.description ?? target.tag ?? "latest") {
                    try content.read($0, limit: 1 << 40)
                }
                try await client.shutdown()
                return n
            } catch {
                try? await client.shutdown()
                throw ImageError.wrap(error, "push \(target.familiar)")
            }
        }
        printLine("pushed \(target) (\(manifestDigest)): \(uploaded) blob(s) uploaded")
    }

    private static func percent(_ text: String) throws -> Int {
        guard let value = Int(text), (0...100).contains(value) else {
            throw ImageError(.invalidConfig, "\"\(text)\" is not a percentage (0-100)")
        }
        return value
    }

    /// Runs async work from this synchronous CLI: the main thread waits while the task
    /// runs on Swift's cooperative pool.
    public static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let value = try await body()
                outcome.withLock { $0 = .success(value) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
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
