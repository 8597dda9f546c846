import Foundation
import Glibc
import LinuxSys
import Synchronization

/// Watches the static pod directory: inotify for changes (a burst of events — an editor's
/// write, rename and chmod — is taken as one after 5 ms of quiet when its last event
/// completes a file, 100 ms when a write may go on), plus a full rescan
/// every `rescanInterval` for what inotify does not see (a directory swapped by a
/// config-management tool, a network file system). Yields the merged snapshot
/// (`StaticPodSource.merge`) first and then whenever it changes.
public enum StaticPodWatcher {
    public static func snapshots(directory: String, nodeName: String,
                                 rescanInterval: Duration = .seconds(20)) -> AsyncStream<StaticPodSnapshot> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            // Ending the stream sends a byte on this socket pair, which wakes the watching
            // thread (a socket, not a pipe: MSG_NOSIGNAL means no SIGPIPE if it is gone).
            var pair: [Int32] = [-1, -1]
            do {
                try sys("socketpair", "static pod watcher") {
                    socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair)
                }
            } catch {
                var snapshot = StaticPodSnapshot()
                snapshot.problems = [StaticPodProblem(file: directory, message: "\(error)")]
                continuation.yield(snapshot)
                continuation.finish()
                return
            }
            let (stop, wake) = (pair[0], pair[1])
            let thread = Thread {
                watch(directory: directory, nodeName: nodeName, rescanInterval: rescanInterval, stop: stop) {
                    continuation.yield($0)
                }
                close(stop)
                continuation.finish()
            }
            thread.name = "static-pods"
            continuation.onTermination = { _ in
                var byte: UInt8 = 1
                _ = send(wake, &byte, 1, Int32(MSG_NOSIGNAL))
                close(wake)
            }
            thread.start()
        }
    }

    private static func watch(directory: String, nodeName: String, rescanInterval: Duration, stop: Int32,
                              yield: (StaticPodSnapshot) -> Void) {
        var last: StaticPodSnapshot?
        func rescan() {
            let next = StaticPodSource.merge(previous: last, current: StaticPodSource.scan(directory: directory, nodeName: nodeName))
            if next != last { yield(next) }
            last = next
        }
        var inotify: Int32 = -1
        do {
            try Files.createDirectory(directory)
            inotify = try sys("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
            let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO
                              | IN_DELETE_SELF | IN_MOVE_SELF)
            _ = try sys("inotify_add_watch", directory) { inotify_add_watch(inotify, directory, mask) }
        } catch {
            // No inotify (or no directory yet): the periodic rescan still converges.
            if inotify >= 0 { close(inotify) }
            inotify = -1
        }
        defer { if inotify >= 0 { close(inotify) } }
        rescan()
        let interval = Int32(rescanInterval.components.seconds * 1000 + rescanInterval.components.attoseconds / 1_000_000_000_000_000)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            var fds = [pollfd(fd: stop, events: Int16(POLLIN), revents: 0), pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)]
            guard let ready = try? sys("poll", directory, { poll(&fds, nfds_t(inotify >= 0 ? 2 : 1), interval) }) else { return }
            if fds[0].revents != 0 { return }
            if ready > 0 && inotify >= 0 {
                // Drain, then wait for the burst to end: briefly when the last event
                // completes a file (closed after writing, renamed in, deleted), longer
                // when a writer may still be at it.
                repeat {
                    var complete = false
                    while true {
                        let n = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
                        guard n > 0 else { break }
                        if let mask = lastEventMask(buffer, count: n) {
                            complete = mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM) != 0
                        }
                    }
                    var quiet = [pollfd(fd: stop, events: Int16(POLLIN), revents: 0), pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)]
                    guard let more = try? sys("poll", directory, { poll(&quiet, 2, complete ? 5 : 100) }) else { return }
                    if quiet[0].revents != 0 { return }
                    if more == 0 { break }
                } while true
            }
            rescan()
        }
    }

    /// The mask of the last `struct inotify_event` in the first `count` bytes.
    private static func lastEventMask(_ buffer: [UInt8], count: Int) -> UInt32? {
        var offset = 0
        var mask: UInt32?
        let header = 16  // wd, mask, cookie, len
        while offset + header <= count {
            let field = { (at: Int) -> UInt32 in
                buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + at, as: UInt32.self) }
            }
            mask = field(4)
            offset += header + Int(field(12))
        }
        return mask
    }
}
