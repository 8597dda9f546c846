import ContainerRuntime
import Glibc
import LinuxSys

/// swiftlet-bench: the in-process cost of one container lifecycle, without the CLI's own
/// start-up. Calls `Runtime.run(attach: false)`, `wait` and `remove` in a loop and
/// reports the median and p90 of each step and of the whole cycle.
///
///     swiftlet-bench --root DIR --state DIR [--image REF] [--iterations N] [--warmup N]
///                    [--cgroup-parent NAME] [--samples FILE] [--phases]
///     swiftlet-bench --print-oci-hardening
///
/// Output lines are `inprocess STEP median_ms=M p90_ms=P min_ms=N` (parsed by
/// Benchmarks/run). `--samples FILE` appends the raw cycle and run() times
/// (`cycle MS` / `run MS` lines) so several rounds can be pooled. `--phases` also times
/// the public pieces `run()` is made of (capabilities, image resolve, container list,
/// cgroup + device filter, seccomp cache), one at a time, to show where Swift spends.
/// `--print-oci-hardening` prints, as OCI config JSON (`{"capabilities": …, "seccomp": …}`),
/// the capabilities and the RuntimeDefault seccomp profile a default swiftlet container
/// gets, so that crun and runc can be measured with the same hardening.

struct Options {
    var root = ""
    var state = ""
    var image = "swiftlet.local/busybox:latest"
    var iterations = 200
    var warmup = 20
    var cgroupParent = "swiftlet-bench"
    var samples: String?
    var phases = false
}

func usage(_ message: String) -> Never {
    let text = "swiftlet-bench: \(message)\nusage: swiftlet-bench --root DIR --state DIR [--image REF] "
        + "[--iterations N] [--warmup N] [--cgroup-parent NAME] [--samples FILE] [--phases]\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

/// The OCI `linux.seccomp` object for a profile (what crun and runc read).
func ociSeccomp(_ profile: SeccompProfile) -> String {
    func action(_ a: SeccompAction) -> (String, Int32?) {
        switch a {
        case .allow: return ("SCMP_ACT_ALLOW", nil)
        case .errno(let e): return ("SCMP_ACT_ERRNO", e)
        case .killThread: return ("SCMP_ACT_KILL_THREAD", nil)
        case .killProcess: return ("SCMP_ACT_KILL_PROCESS", nil)
        case .trap: return ("SCMP_ACT_TRAP", nil)
        case .log: return ("SCMP_ACT_LOG", nil)
        }
    }
    func arg(_ a: SeccompArg) -> String {
        let (op, value, two): (String, UInt64, UInt64?) = switch a.condition {
        case .notEqual(let v): ("SCMP_CMP_NE", v, nil)
        case .lessThan(let v): ("SCMP_CMP_LT", v, nil)
        case .lessEqual(let v): ("SCMP_CMP_LE", v, nil)
        case .equal(let v): ("SCMP_CMP_EQ", v, nil)
        case .greaterEqual(let v): ("SCMP_CMP_GE", v, nil)
        case .greaterThan(let v): ("SCMP_CMP_GT", v, nil)
        case .maskedEqual(let m, let v): ("SCMP_CMP_MASKED_EQ", m, v)
        }
        return "{\"index\":\(a.index),\"value\":\(value)" + (two.map { ",\"valueTwo\":\($0)" } ?? "")
            + ",\"op\":\"\(op)\"}"
    }
    let (defaultAction, defaultErrno) = action(profile.defaultAction)
    var out = "{\"defaultAction\":\"\(defaultAction)\""
    if let e = defaultErrno { out += ",\"defaultErrnoRet\":\(e)" }
    let arches = profile.architectures.map { arch -> String in
        switch arch {
        case .x86_64: "\"SCMP_ARCH_X86_64\""
        case .x86: "\"SCMP_ARCH_X86\""
        case .x32: "\"SCMP_ARCH_X32\""
        case .aarch64: "\"SCMP_ARCH_AARCH64\""
        case .arm: "\"SCMP_ARCH_ARM\""
        }
    }
    out += ",\"architectures\":[" + arches.joined(separator: ",") + "],\"syscalls\":["
    out += profile.rules.map { rule -> String in
        let (name, errno) = action(rule.action)
        var r = "{\"names\":[" + rule.names.map { "\"\($0)\"" }.joined(separator: ",") + "],\"action\":\"\(name)\""
        if let errno { r += ",\"errnoRet\":\(errno)" }
        if !rule.args.isEmpty { r += ",\"args\":[" + rule.args.map(arg).joined(separator: ",") + "]" }
        return r + "}"
    }.joined(separator: ",")
    return out + "]}"
}

func parseOptions() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())[...]
    func value(_ flag: String) -> String {
        guard let v = args.popFirst() else { usage("\(flag) needs a value") }
        return v
    }
    while let arg = args.popFirst() {
        switch arg {
        case "--root": o.root = value(arg)
        case "--state": o.state = value(arg)
        case "--image": o.image = value(arg)
        case "--iterations": o.iterations = Int(value(arg)) ?? 0
        case "--warmup": o.warmup = Int(value(arg)) ?? -1
        case "--cgroup-parent": o.cgroupParent = value(arg)
        case "--samples": o.samples = value(arg)
        case "--phases": o.phases = true
        case "--print-oci-hardening":
            let caps = CapabilitySet.containerDefault.names.map { "\"\($0)\"" }.joined(separator: ",")
            print("{\"capabilities\":[\(caps)],\"seccomp\":"
                + ociSeccomp(SeccompProfiles.runtimeDefault(capabilities: .containerDefault)) + "}")
            exit(0)
        default: usage("unknown argument \(arg)")
        }
    }
    if o.root.isEmpty || o.state.isEmpty { usage("--root and --state are required") }
    if o.iterations < 1 || o.warmup < 0 { usage("bad --iterations or --warmup") }
    return o
}

func nowMillis() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[Int((Double(sorted.count - 1) * p).rounded())]
}

func median(_ sorted: [Double]) -> Double {
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

func fmt(_ ms: Double) -> String {
    let scaled = Int((ms * 1000).rounded())
    let frac = String(scaled % 1000)
    return "\(scaled / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
}

func report(_ step: String, _ samples: [Double]) {
    let s = samples.sorted()
    print("inprocess \(step) median_ms=\(fmt(median(s))) p90_ms=\(fmt(percentile(s, 0.9))) min_ms=\(fmt(s[0]))")
}

func appendSamples(_ path: String, _ lines: [String]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { usage("cannot open \(path)") }
    let text = lines.joined(separator: "\n") + "\n"
    _ = text.withCString { write(fd, $0, strlen($0)) }
    close(fd)
}

let options = parseOptions()
let runtime = Runtime(paths: RuntimePaths(root: options.root, state: options.state, cgroupParent: options.cgroupParent))
let spec = ContainerSpec(image: options.image, command: ["true"])

/// One lifecycle: run (detached: the shim is still our child), wait, remove.
func cycle() throws -> (run: Double, wait: Double, remove: Double) {
    let t0 = nowMillis()
    let started = try runtime.run(spec, attach: false)
    let t1 = nowMillis()
    let exit = try runtime.wait(started)
    let t2 = nowMillis()
    try runtime.remove(started.record, force: false)
    let t3 = nowMillis()
    guard exit.code == 0 else { throw RuntimeError.setupFailed("container exited with \(exit.code)") }
    return (t1 - t0, t2 - t1, t3 - t2)
}

do {
    for _ in 0..<options.warmup { _ = try cycle() }
    var runs: [Double] = [], waits: [Double] = [], removes: [Double] = [], cycles: [Double] = []
    for _ in 0..<options.iterations {
        let t = try cycle()
        runs.append(t.run)
        waits.append(t.wait)
        removes.append(t.remove)
        cycles.append(t.run + t.wait + t.remove)
    }
    report("cycle", cycles)
    report("run", runs)
    report("wait", waits)
    report("remove", removes)
    if let path = options.samples {
        appendSamples(path, cycles.map { "cycle \($0)" } + runs.map { "run \($0)" })
    }

    if options.phases {
        // The public steps of run(), each alone, in the order run() takes them.
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            var samples: [Double] = []
            for _ in 0..<options.iterations {
                let t0 = nowMillis()
                try body()
                samples.append(nowMillis() - t0)
            }
            report("phase:\(name)", samples)
        }
        try time("capabilities") { _ = try CapabilitySet.grantable() }
        try time("image-resolve") { _ = try runtime.images.resolve(options.image) }
        try time("list-containers") { _ = try runtime.list() }
        let hierarchy = try runtime.hierarchy()
        var n = 0
        try time("cgroup-create+devfilter+remove") {
            n += 1
            let group = Cgroup(hierarchy: hierarchy, relativePath: "\(options.cgroupParent)/phase-\(getpid())-\(n)")
            _ = try group.create(enabling: ["cpu", "memory", "pids", "io"])
            try DeviceFilter.attach(rules: DeviceRule.containerDefault, toCgroup: group.path)
            try group.remove()
        }
        try time("seccomp-cached") {
            _ = try SeccompCache.compiledProfile(.runtimeDefault(capabilities: CapabilitySet.containerDefault),
                                                   cacheDir: runtime.paths.seccompCache)
        }
    }
} catch {
    usage("\(error)")
}
