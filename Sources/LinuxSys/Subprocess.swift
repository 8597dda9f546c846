import CLinux
import Glibc

/// Runs a helper program to completion: `input` on its stdin, stdout and stderr each
/// captured in a memfd (a full pipe can never stall it). For the node's tools (nft, CNI
/// plugins), not for containers.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// `exit status N`, or `signal N`.
        public var exitDescription: String {
            swl_wifexited(status) != 0 ? "exit status \(swl_wexitstatus(status))" : "signal \(status & 0x7f)"
        }
        public var succeeded: Bool { swl_wifexited(status) != 0 && swl_wexitstatus(status) == 0 }
    }

    /// `program` is a path, or a name looked up in PATH; `environment` nil: ours.
    public static func run(_ program: String, _ arguments: [String], environment: [String]? = nil,
                           input: [UInt8] = []) throws -> Result {
        var pipeFDs: [Int32] = [0, 0]
        try sys("pipe2", "\(program) stdin") { swl_pipe2(&pipeFDs, O_CLOEXEC) }
        let readEnd = FileDescriptor(raw: pipeFDs[0], name: "\(program) stdin")
        let writeEnd = FileDescriptor(raw: pipeFDs[1], name: "\(program) stdin")
        let stdout = try memfd("\(program) stdout")
        let stderr = try memfd("\(program) stderr")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd.raw, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.raw, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.raw, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = envp.map { envp in posix_spawnp(&pid, program, &actions, nil, argv, envp) }
            ?? posix_spawnp(&pid, program, &actions, nil, argv, environ)
        guard rc == 0 else { throw SystemError("posix_spawn", program, errno: rc) }
        try readEnd.close()
        // A program that exits without reading its input makes the write fail (EPIPE): its
        // status tells what happened.
        do { try writeEnd.write(input) } catch let error as SystemError where error.errno == EPIPE {}
        try writeEnd.close()
        var status: Int32 = 0
        try sys("waitpid", program) { waitpid(pid, &status, 0) }
        return Result(status: status, stdout: try contents(stdout), stderr: try contents(stderr))
    }

    private static func memfd(_ name: String) throws -> FileDescriptor {
        FileDescriptor(raw: try sys("memfd_create", name) { swl_memfd_create(name, UInt32(MFD_CLOEXEC)) }, name: name)
    }

    private static func contents(_ fd: FileDescriptor) throws -> [UInt8] {
        try sys("lseek", fd.name) { lseek(fd.raw, 0, SEEK_SET) }
        return try fd.readAll()
    }
}
