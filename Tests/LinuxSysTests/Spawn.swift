import CLinux
import Glibc
import XCTest
@testable import LinuxSys

/// posix_spawn `argv` with stdout and stderr into a pipe; returns (exit status, output).
func spawnAndWait(_ argv: [String]) -> (Int32, String) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return (-1, "pipe: errno \(swl_errno())") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    var cargs = argv.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ)
    close(fds[1])
    defer { close(fds[0]) }
    guard rc == 0 else { return (-1, "posix_spawn: \(String(cString: strerror(rc)))") }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
        if n > 0 { output += buffer[0..<n]; continue }
        if n < 0, swl_errno() == EINTR { continue }
        break
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1, swl_errno() == EINTR {}
    let code = swl_wifexited(status) != 0 ? swl_wexitstatus(status) : 128 + swl_wtermsig(status)
    return (code, String(decoding: output, as: UTF8.self))
}
