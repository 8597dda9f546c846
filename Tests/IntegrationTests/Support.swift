import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// Privileged tests need root. They skip with a printed reason elsewhere; where
/// SWIFTLET_REQUIRE_PRIVILEGED=1 (CI, the test script as root) a skip is a failure.
func requireRoot(file: StaticString = #filePath, line: UInt = #line) throws {
    guard geteuid() != 0 else { return }
    let reason = "privileged test: needs root (real namespaces, cgroups and mounts)"
    if ProcessInfo.processInfo.environment["SWIFTLET_REQUIRE_PRIVILEGED"] == "1" {
        XCTFail("\(reason), but SWIFTLET_REQUIRE_PRIVILEGED=1", file: file, line: line)
    }
    print("skipping: \(reason)")
    throw XCTSkip(reason)
}

/// A runtime under temporary roots with the example busybox image imported. One per
/// test case; containers go into a cgroup parent of their own that is removed after.
final class Sandbox {
    let dir: String
    let runtime: Runtime
    static let image = ExampleImage.defaultName

    init() throws {
        var template = Array("/tmp/swiftlet-it-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp", "/tmp", errno: errno) }
        dir = String(cString: made)
        let paths = RuntimePaths(root: "\(dir)/root", state: "\(dir)/state", cgroupParent: "swiftlet-test-\(getpid())-\(Self.counter())")
        runtime = Runtime(paths: paths, shimPath: Self.shimPath())
        try Sandbox.layout(into: "\(dir)/root")
    }

    nonisolated(unsafe) private static var count = 0
    private static func counter() -> Int {
        count += 1
        return count
    }

    /// Builds the example image under `root` and imports it.
    static func layout(into root: String) throws {
        let dir = "\(root)/example-layout"
        try ExampleImage.busybox(at: dir)
        _ = try ImageStore(root: root).importImage(path: dir)
    }

    /// SWIFTLET_SHIM (the test script sets it), else beside the test bundle.
    static func shimPath() -> String {
        if let env = ProcessInfo.processInfo.environment["SWIFTLET_SHIM"] { return env }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("swiftlet-shim").path
    }

    func spec(_ command: [String]) -> ContainerSpec {
        var spec = ContainerSpec(image: Sandbox.image, command: command)
        spec.stopGraceSeconds = 2
        return spec
    }

    /// Runs a container to completion (detached from our stdio) and returns its exit
    /// status and output from the CRI log.
    func run(_ spec: ContainerSpec) throws -> (status: ExitStatus, stdout: String, stderr: String, record: ContainerRecord) {
        let started = try runtime.run(spec, attach: false)
        let status = try runtime.wait(started)
        let (out, err) = logs(started.record)
        return (status, out, err, started.record)
    }

    func run(_ command: String...) throws -> (status: ExitStatus, stdout: String, stderr: String, record: ContainerRecord) {
        try run(spec(command))
    }

    func logs(_ record: ContainerRecord) -> (String, String) {
        let bytes = (try? Files.read(record.logPath)) ?? []
        let entries = CRILog.parse(bytes)
        return (entries.filter { $0.stream == .stdout }.map(\.text).joined(),
                entries.filter { $0.stream == .stderr }.map(\.text).joined())
    }

    /// Removes every container, the cgroup parent and the directories.
    func tearDown() {
        for (record, _) in (try? runtime.list()) ?? [] { try? runtime.remove(record, force: true) }
        if let hierarchy = try? runtime.hierarchy() {
            Self.removeCgroupTree(hierarchy.path(runtime.paths.cgroupParent))
        }
        try? Files.removeTree(dir)
    }

    /// A kubelet leaves `kubepods/<qos>` below its cgroup root when it stops (pods outlive
    /// it by design): the test's cgroups go deepest first, as rmdir removes only empty ones.
    static func removeCgroupTree(_ path: String) {
        for child in (try? Files.list(path)) ?? [] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(path)/\(child)", isDirectory: &isDirectory), isDirectory.boolValue {
                removeCgroupTree("\(path)/\(child)")
            }
        }
        for _ in 0..<200 where rmdir(path) != 0 && errno == EBUSY { usleep(10_000) }
    }

    /// Everything the runtime may leave: container data, state and cgroups.
    func leftovers() -> [String] {
        var out: [String] = []
        for dir in ["\(runtime.paths.root)/containers", "\(runtime.paths.state)/containers"] {
            out += ((try? Files.list(dir)) ?? []).map { "\(dir)/\($0)" }
        }
        if let hierarchy = try? runtime.hierarchy() {
            let parent = hierarchy.path(runtime.paths.cgroupParent)
            out += ((try? Files.list(parent)) ?? []).filter { !$0.hasPrefix("cgroup.") && !$0.contains(".") }.map { "\(parent)/\($0)" }
        }
        let mounts = (try? Files.readString("/proc/self/mountinfo")) ?? ""
        out += mounts.split(separator: "\n").filter { $0.contains(dir) }.map(String.init)
        return out
    }
}

/// Base class: a fresh sandbox per test, torn down after.
class PrivilegedTestCase: XCTestCase {
    var sandbox: Sandbox!

    override func setUpWithError() throws {
        try requireRoot()
        sandbox = try Sandbox()
    }

    override func tearDown() {
        sandbox?.tearDown()
        sandbox = nil
    }
}

extension Sandbox {
    /// Imports an image made of a small busybox layer plus one layer that `extra`
    /// writes: the hostile rootfs shapes the escape tests need.
    func importImage(_ name: String, config: ImageConfig = ImageConfig(env: ["PATH=/bin"], cmd: ["sh"]),
                     _ extra: (TarWriter) throws -> Void) throws {
        let layout = "\(dir)/layout-\(name.filter { $0.isLetter || $0.isNumber })"
        let builder = try OCILayoutBuilder(directory: layout)
        try builder.addLayer(gzip: false) { tar in
            for d in ["bin", "dev", "etc", "proc", "sys", "tmp"] { try tar.addDirectory(d) }
            try tar.addFile("bin/busybox", copying: "/bin/busybox", mode: 0o755)
            for applet in ["sh", "cat", "echo", "ls", "id", "grep", "readlink", "stat", "wc", "test", "true"] {
                try tar.addSymlink("bin/\(applet)", target: "busybox")
            }
            try tar.addFile("etc/passwd", contents: "root:x:0:0:root:/root:/bin/sh\n")
        }
        try builder.addLayer(gzip: false, extra)
        try builder.finish(config: config, names: [name])
        _ = try runtime.images.importImage(path: layout)
    }
}

/// Runs the `swiftlet` executable (beside the shim) and returns its status, stdout and stderr.
func runCLI(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runProgram(URL(fileURLWithPath: Sandbox.shimPath()).deletingLastPathComponent().appendingPathComponent("swiftlet").path, args)
}

/// Runs `program` and returns its status, stdout and stderr.
func runProgram(_ program: String, _ args: [String], environment: [String: String] = [:],
                stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = args
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    }
    // Both pipes are drained while the process runs: a full one would block it.
    nonisolated(unsafe) var stderr = Data()
    let reader = Thread { stderr = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

