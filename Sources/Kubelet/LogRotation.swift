import ContainerRuntime
import Foundation
import Glibc
import LinuxSys

/// The kubelet's container log rotation (containerLogMaxSize, containerLogMaxFiles): a
/// running container's `N.log` larger than the limit is renamed to
/// `N.log.<YYYYMMDD-hhmmss>`, the shim reopens `N.log`, and the oldest rotated files go
/// so that at most `maxFiles` files (the live one included) remain. Unlike upstream,
/// rotated files are not gzip-compressed.
public struct LogRotation: Sendable {
    public var maxSize: Int64 = 10 << 20
    public var maxFiles = 5

    public init(maxSize: Int64 = 10 << 20, maxFiles: Int = 5) {
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }

    /// Rotates the log of a running container if it is over the limit.
    func rotateIfNeeded(_ record: ContainerRecord, runtime: Runtime, now: Date = Date()) throws {
        var st = stat()
        guard stat(record.logPath, &st) == 0, Int64(st.st_size) > maxSize else { return }
        let rotated = "\(record.logPath).\(LogRotation.suffix(now))"
        try sys("rename", record.logPath) { rename(record.logPath, rotated) }
        guard try runtime.reopenLog(record) else {
            // The container ended meanwhile: nothing will write a new file, so the log
            // stays where `logs --previous` reads it.
            try sys("rename", rotated) { rename(rotated, record.logPath) }
            return
        }
        let directory = Files.dirname(record.logPath)
        let existing = try Files.list(directory)
        for name in LogRotation.toDelete(existing, log: Files.basename(record.logPath), maxFiles: maxFiles) {
            try sys("unlink", "\(directory)/\(name)", tolerating: ENOENT) { unlink("\(directory)/\(name)") }
        }
    }

    /// Upstream's timestamp suffix, `20060102-150405` in UTC.
    static func suffix(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The rotated files of `log` (`log.<suffix>`) to delete, oldest first, so that with the
    /// live file at most `maxFiles` remain.
    static func toDelete(_ names: [String], log: String, maxFiles: Int) -> [String] {
        let rotated = names.filter { $0.hasPrefix(log + ".") }.sorted()
        return Array(rotated.dropLast(max(maxFiles - 1, 0)))
    }
}
