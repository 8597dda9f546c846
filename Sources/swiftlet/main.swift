import ContainerRuntime
import Glibc
import KubeStore
import LinuxSys

/// The `swiftlet` command: a podman-like container CLI over the runtime, the kubelet
/// (`kubelet`, `server`, `pods`), kubectl's verbs over the API (`get`, `apply`, …) and
/// operator commands.
/// Arguments are parsed by hand: this binary runs for every CLI call and exec probe, and
/// its start-up time is part of every container start we measure.

let usage = """
    Usage: swiftlet [--root DIR] [--state DIR] [--cgroup-root CGROUP] [--private-registry FILE] COMMAND [ARG...]

    Commands:
      run [OPTIONS] IMAGE [COMMAND [ARG...]]   create and start a container (pulling IMAGE if missing)
      ps [-a]                                  list containers (running, or all with -a)
      stop [-t SECONDS] CONTAINER...           stop: SIGTERM, then SIGKILL after the grace period
      rm [-f] CONTAINER...                     remove (with -f, kill a running one first)
      logs [-f] [-p] [--tail N] [-n NS] POD [-c CONTAINER]
                                               print a pod's container log (or a container's)
      image pull [--platform P] IMAGE          pull an image from a registry
      image push IMAGE [REF]                   push an image to a registry (as REF)
      image import FILE|DIR [--name NAME]      import a docker-save tarball or an OCI layout
      image ls                                 list images
      image inspect IMAGE                      show an image's manifest, config and layers
      image rm IMAGE...                        remove images and their unused layers
      image prune [-a]                         remove untagged images (with -a, every unused one)
      image gc [--high-threshold P] [--low-threshold P]
                                               at P% disk use (85), remove least recently used
                                               unused images down to P% (80); sweep leftovers
      image example DIR                        write an example busybox OCI layout to DIR
      server [--data-dir DIR] [--bind-address IP] [--https-listen-port N] [--write-kubeconfig FILE]
             [--write-kubeconfig-mode MODE] [--service-cidr CIDR] [--config FILE] [KUBELET OPTIONS]
                                               run the node with its embedded defaults: the store and
                                               API server (6443; kubeconfig /etc/swiftlet/swiftlet.yaml),
                                               then the kubelet
      kubelet [--static-pod-path DIR] [--node-name N] [--cluster-cidr CIDR] [--pod-logs-dir DIR]
              [--node-ip IP] [--kubelet-address IP] [--kubelet-port N]
              [--cni-conf-dir DIR] [--cni-bin-dir DIR[:DIR...]]
                                               run the static pods of DIR (/etc/swiftlet/manifests)
      pods                                     list the kubelet's pods, then manifests it could not use
      exec [-it] [-n NS] POD [-c CONTAINER] -- COMMAND [ARG...]
                                               run a command in a pod's container (or a container)
      get TYPE[/NAME] [NAME...] [-n NS|-A] [-l SELECTOR] [-o wide|yaml|json|name]
                                               list or show objects through the API server, as kubectl
      apply -f FILE|DIR|-                      create or update objects (kubectl's client-side apply)
      delete TYPE NAME...|TYPE/NAME...|-f FILE [-l SELECTOR|--all] [--grace-period N] [--wait=false]
                                               delete objects and wait until they are gone
      describe TYPE [NAME...]                  show objects' fields and events
      edit TYPE NAME                           edit an object in $KUBE_EDITOR or $EDITOR (vi)
      label TYPE NAME KEY=VALUE... KEY-... [--overwrite]
                                               set or remove labels
      cordon NODE | uncordon NODE              mark a node unschedulable, or schedulable again
      drain NODE [--force] [--ignore-daemonsets] [--delete-emptydir-data] [--timeout DURATION]
                                               cordon, then evict its pods (PodDisruptionBudgets
                                               respected; static pods stay)
                                               (these nine take --kubeconfig FILE, default $KUBECONFIG
                                               or /etc/swiftlet/swiftlet.yaml, and -n NAMESPACE)
      store backup FILE [--data-dir DIR]       copy the control plane's store (also while it runs)
      store restore FILE [--data-dir DIR] [--bump-revision N]
                                               replace the store with a backup (server stopped)
      version                                  print the version

    Global options:
      --root DIR     data directory (default /var/lib/swiftlet)
      --state DIR    runtime state directory (default /run/swiftlet)
      --cgroup-root CGROUP      cgroup (relative to the v2 root) holding every container
                     and pod cgroup (default swiftlet)
      --private-registry FILE   registry mirrors, credentials and TLS, in k3s'
                     registries.yaml schema (default /etc/swiftlet/registries.yaml)

    run options:
      --rm                 remove the container when it exits
      -d, --detach         run in the background and print the container ID
      --name NAME          container name
      -e, --env K=V        set an environment variable (repeatable)
      -m, --memory SIZE    memory limit (e.g. 64M, 1G)
      --cpus N             CPU limit in cores (e.g. 0.5)
      --pids-limit N       maximum number of processes
      -u, --user UID[:GID] user (numeric, or a name from the image's /etc/passwd)
      -w, --workdir DIR    working directory
      --hostname NAME      container host name
      --entrypoint CMD     override the image's entrypoint
      --read-only          mount the root file system read-only
      --cap-add CAP        add a capability (repeatable; ALL for every one)
      --cap-drop CAP       drop a capability (repeatable; ALL for every one)
      --privileged         all capabilities, no seccomp, no masked paths, writable /sys
      --security-opt seccomp=unconfined   run without the RuntimeDefault seccomp filter
      --security-opt seccomp=FILE         use the OCI/Docker JSON seccomp profile in FILE instead
      --network none|host  a new network namespace with loopback only (default), or the host's
      --stop-timeout N     seconds between SIGTERM and SIGKILL (default 10)
      -t, --tty            allocate a pseudo-terminal
      -i, --interactive    keep stdin open
    """

struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// Exit status for Swiftlet's own failures, as podman and docker use.
let failureStatus: Int32 = 125

func fail(_ message: String) -> Never {
    TextOutput.line("swiftlet: \(message)", fd: 2)
    exit(failureStatus)
}

func warn(_ message: String) {
    TextOutput.line("swiftlet: warning: \(message)", fd: 2)
}

/// Reads options off the front of an argument list.
struct Arguments {
    var items: [String]

    mutating func next() -> String? { items.isEmpty ? nil : items.removeFirst() }

    mutating func value(for option: String) throws -> String {
        guard let v = next() else { throw UsageError(description: "option \(option) needs a value") }
        return v
    }
}

/// `64M`, `1g`, `512k`, `1024` (bytes); powers of 1024, as podman reads them.
func parseSize(_ text: String) throws -> Int64 {
    var digits = text.lowercased()
    if digits.hasSuffix("b") { digits.removeLast() }
    var multiplier: Int64 = 1
    if let unit = digits.last, let shift = ["k": 10, "m": 20, "g": 30, "t": 40][String(unit)] {
        multiplier = 1 << Int64(shift)
        digits.removeLast()
    }
    guard let value = Double(digits), value > 0 else { throw UsageError(description: "invalid size \"\(text)\"") }
    return Int64(value * Double(multiplier))
}

func parseRun(_ args: inout Arguments) throws -> (spec: ContainerSpec, remove: Bool, detach: Bool) {
    var spec = ContainerSpec(image: "")
    var remove = false
    var detach = false
    var interactive = false
    while let arg = args.next() {
        switch arg {
        case "--rm": remove = true
        case "-d", "--detach": detach = true
        case "--name": spec.name = try args.value(for: arg)
        case "-e", "--env":
            let v = try args.value(for: arg)
            spec.env.append(v.contains("=") ? v : "\(v)=\(getenv(v).map { String(cString: $0) } ?? "")")
        case "-m", "--memory": spec.memoryLimitBytes = try parseSize(try args.value(for: arg))
        case "--cpus":
            let v = try args.value(for: arg)
            guard let cpus = Double(v), cpus > 0 else { throw UsageError(description: "invalid --cpus \"\(v)\"") }
            spec.cpus = cpus
        case "--pids-limit":
            let v = try args.value(for: arg)
            guard let n = Int64(v), n > 0 else { throw UsageError(description: "invalid --pids-limit \"\(v)\"") }
            spec.pidsLimit = n
        case "-u", "--user": spec.user = try args.value(for: arg)
        case "-w", "--workdir": spec.workingDir = try args.value(for: arg)
        case "--hostname": spec.hostname = try args.value(for: arg)
        case "--entrypoint": spec.entrypoint = [try args.value(for: arg)]
        case "--read-only": spec.readOnlyRootfs = true
        case "--cap-add": spec.capAdd.append(try args.value(for: arg))
        case "--cap-drop": spec.capDrop.append(try args.value(for: arg))
        case "--privileged": spec.privileged = true
        case "--security-opt":
            let v = try args.value(for: arg)
            guard v.hasPrefix("seccomp=") || v.hasPrefix("seccomp:") else {
                throw UsageError(description: "unsupported --security-opt \"\(v)\" (supported: seccomp=unconfined, seccomp=PROFILE.json)")
            }
            let profile = String(v.dropFirst("seccomp=".count))
            if profile == "unconfined" {
                spec.seccomp = .unconfined
            } else {
                spec.seccomp = .localhost
                spec.seccompProfilePath = profile.hasPrefix("/") ? profile : "\(currentDirectory())/\(profile)"
            }
        case "--network", "--net":
            let v = try args.value(for: arg)
            guard let network = ContainerSpec.Network(rawValue: v) else {
                throw UsageError(description: "unsupported network \"\(v)\" (supported: none, host)")
            }
            spec.network = network
        case "--stop-timeout":
            let v = try args.value(for: arg)
            guard let n = Int(v), n >= 0 else { throw UsageError(description: "invalid --stop-timeout \"\(v)\"") }
            spec.stopGraceSeconds = n
        case "-t", "--tty": spec.tty = true
        case "-i", "--interactive": interactive = true
        case "-it", "-ti":
            spec.tty = true
            interactive = true
        default:
            if arg.hasPrefix("-") { throw UsageError(description: "unknown flag: \(arg)") }
            spec.image = arg
            spec.command = args.items
            args.items = []
        }
    }
    guard !spec.image.isEmpty else { throw UsageError(description: "run needs an image") }
    spec.stdin = interactive
    return (spec, remove, detach)
}

func runCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    let (spec, remove, detach) = try parseRun(&args)
    // A missing image is found missing by run's own lookup (nothing is created before
    // it), so a local image costs no extra lookup.
    let started: StartedContainer
    do {
        started = try runtime.run(spec, attach: !detach)
    } catch let error as ImageError where error.kind == .notFound {
        TextOutput.line("Unable to find image '\(spec.image)' locally", fd: 2)
        try ImageCommand.pull(spec.image, runtime: runtime, registries: registriesPath, fd: 2)
        started = try runtime.run(spec, attach: !detach)
    }
    var reported = Set<String>()
    for limit in started.unenforced where reported.insert(limit.controller).inserted {
        warn(limit.description)
    }
    if detach {
        print(started.record.id)
        return 0
    }
    // Ctrl-C reaches the shim too (same process group); it stops the container and we
    // go on to report and clean up.
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let exit = try withRawTerminal(spec.tty && spec.stdin) { try runtime.wait(started) }
    if exit.oomKilled { warn("container \(started.record.name) was OOM-killed") }
    if remove { try runtime.remove(started.record, force: true) }
    return exit.code
}

/// With `-it` on a terminal, keys go to the container unprocessed (Ctrl-C included) until
/// it exits, as with docker and podman; the terminal is restored afterwards.
func withRawTerminal<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
    var saved = termios()
    guard enabled, isatty(0) == 1, tcgetattr(0, &saved) == 0 else { return try body() }
    var raw = saved
    cfmakeraw(&raw)
    tcsetattr(0, TCSANOW, &raw)
    defer { tcsetattr(0, TCSANOW, &saved) }
    return try body()
}

func psCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    var all = false
    while let arg = args.next() {
        guard arg == "-a" || arg == "--all" else { throw UsageError(description: "unknown flag: \(arg)") }
        all = true
    }
    var rows = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"]]
    for (record, status) in try runtime.list() {
        if !all, case .running = status {} else if !all { continue }
        let command = (record.spec.entrypoint ?? []) + record.spec.command
        rows.append([String(record.id.prefix(12)), record.imageName, String(command.joined(separator: " ").prefix(20)),
                     String(record.createdAt.prefix(19)), status.summary, record.name])
    }
    TextOutput.table(rows)
    return 0
}

func stopCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    var grace: Int?
    var names: [String] = []
    while let arg = args.next() {
        switch arg {
        case "-t", "--time", "--timeout":
            let v = try args.value(for: arg)
            guard let n = Int(v), n >= 0 else { throw UsageError(description: "invalid timeout \"\(v)\"") }
            grace = n
        default:
            if arg.hasPrefix("-") { throw UsageError(description: "unknown flag: \(arg)") }
            names.append(arg)
        }
    }
    guard !names.isEmpty else { throw UsageError(description: "stop needs at least one container") }
    for name in names {
        try runtime.stop(try runtime.find(name), grace: grace)
        print(name)
    }
    return 0
}

func rmCommand(_ runtime: Runtime, _ args: inout Arguments) throws -> Int32 {
    var force = false
    var names: [String] = []
    while let arg = args.next() {
        switch arg {
        case "-f", "--force": force = true
        default:
            if arg.hasPrefix("-") { throw UsageError(description: "unknown flag: \(arg)") }
            names.append(arg)
        }
    }
    guard !names.isEmpty else { throw UsageError(description: "rm needs at least one container") }
    for name in names {
        try runtime.remove(try runtime.find(name), force: force)
        print(name)
    }
    return 0
}

/// `swiftlet store backup|restore`: the store's database is `<data-dir>/server/db/state.db`,
/// where k3s keeps its own.
func storeCommand(_ args: inout Arguments) throws -> Int32 {
    guard let verb = args.next(), verb == "backup" || verb == "restore" else {
        throw UsageError(description: "usage: swiftlet store backup|restore FILE [--data-dir DIR]")
    }
    var dataDirectory = "/var/lib/swiftlet"
    var bump: Int64 = 0
    var file: String?
    while let arg = args.next() {
        switch arg {
        case "--data-dir": dataDirectory = try args.value(for: arg)
        case "--bump-revision" where verb == "restore":
            guard let n = Int64(try args.value(for: arg)), n >= 0 else {
                throw UsageError(description: "--bump-revision needs a number ≥ 0")
            }
            bump = n
        default:
            guard file == nil, !arg.hasPrefix("-") else { throw UsageError(description: "unknown flag: \(arg)") }
            file = arg
        }
    }
    guard let file else { throw UsageError(description: "store \(verb) needs a FILE") }
    let database = "\(dataDirectory)/server/db/state.db"
    if verb == "backup" {
        let revision = try KubeStore.backup(database: database, to: file)
        print("backed up \(database) at revision \(revision) to \(file)")
    } else {
        let revision = try KubeStore.restore(from: file, to: database, bumpRevision: bump)
        print("restored \(file) to \(database); revision \(revision), marked compacted (watchers relist)")
    }
    return 0
}

func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    return getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "."
}

// MARK: - Entry point

var args = Arguments(items: Array(CommandLine.arguments.dropFirst()))
var paths = RuntimePaths()
nonisolated(unsafe) var registriesPath = RegistryConfig.defaultPath
do {
    let globals = ["--root", "--state", "--cgroup-root", "--private-registry"]
    while let first = args.items.first, let name = globals.first(where: { first == $0 || first.hasPrefix($0 + "=") }) {
        let option = args.next()!
        let value = option.contains("=") ? String(option[option.index(after: option.firstIndex(of: "=")!)...])
            : try args.value(for: option)
        switch name {
        case "--root": paths.root = value
        case "--state": paths.state = value
        case "--cgroup-root": paths.cgroupParent = value
        default: registriesPath = value
        }
    }
    guard let command = args.next() else {
        print(usage)
        exit(2)
    }
    let runtime = Runtime(paths: paths)
    let status: Int32
    switch command {
    case "run": status = try runCommand(runtime, &args)
    case "ps": status = try psCommand(runtime, &args)
    case "stop": status = try stopCommand(runtime, &args)
    case "rm": status = try rmCommand(runtime, &args)
    case "logs": status = try logsCommand(runtime, &args)
    case "image", "images": status = ImageCommand.run(args.items, runtime: runtime, registries: registriesPath)
    case "store": status = try storeCommand(&args)
    case "kubelet", "server": status = try kubeletCommand(runtime, &args, command: command)
    case "pods": status = try podsCommand(runtime, &args)
    case "exec": status = try execCommand(runtime, &args)
    case _ where ClientCommand.verbs.contains(command): status = try ClientCommand.run(command, args.items)
    case "version", "--version": print("swiftlet \(SwiftletVersion.string)"); status = 0
    case "help", "-h", "--help": print(usage); status = 0
    default: throw UsageError(description: "unknown command \"\(command)\" (see swiftlet --help)")
    }
    exit(status)
} catch let error as UsageError {
    TextOutput.line("swiftlet: \(error.description)\nSee 'swiftlet --help'.", fd: 2)
    exit(failureStatus)
} catch {
    fail("\(error)")
}
