import Foundation
import Glibc
import XCTest
@testable import KubeStore

/// kill -9 during a write storm: every acknowledged write survives, revisions never go
/// backwards. The writer is this test binary itself, run again (posix_spawn through
/// Foundation's Process) with only this test selected and the database path in
/// KUBESTORE_CRASH_CHILD_DB, which makes it the writer: it prints "ack KEY REVISION"
/// after each acknowledged write, and the parent SIGKILLs it mid-stream.
final class CrashDurabilityTests: XCTestCase {
    static let childEnv = "KUBESTORE_CRASH_CHILD_DB"

    func testKill9DuringWriteStormLosesNoAcknowledgedWrite() async throws {
        if let path = ProcessInfo.processInfo.environment[Self.childEnv] { return try await Self.writeUntilKilled(path) }
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var lastRevision: Revision = 0
        var allAcked: [String: Revision] = [:]

        for round in 0..<3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: exe)
            process.arguments = ["KubeStoreTests.CrashDurabilityTests/testKill9DuringWriteStormLosesNoAcknowledgedWrite"]
            var env = ProcessInfo.processInfo.environment
            env[Self.childEnv] = path
            env["KUBESTORE_CRASH_CHILD_ROUND"] = "\(round)"
            process.environment = env
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            // A child that hangs must not hang the test run.
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) {
                if process.isRunning { kill(pid, SIGKILL) }
            }

            let killAfter = Int.random(in: 300...1500)
            var acked: [String: Revision] = [:]
            var buffer = Data()
            var killed = false
            let reader = pipe.fileHandleForReading
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }  // EOF: the child is gone
                buffer.append(chunk)
                while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...nl)
                    let parts = line.split(separator: " ")
                    if parts.count == 3, parts[0] == "ack", let rev = Revision(parts[2]) {
                        acked[String(parts[1])] = rev
                    }
                }
                if !killed && acked.count >= killAfter {
                    kill(process.processIdentifier, SIGKILL)
                    killed = true
                }
            }
            process.waitUntilExit()
            XCTAssertTrue(killed, "round \(round): the child ended before it was killed (\(acked.count) acks)")
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(process.terminationStatus, SIGKILL)

            let store = try await KubeStore.open(path: path, options: testOptions())
            let list = try await store.range(.prefix("/crash/"))
            let present = Dictionary(uniqueKeysWithValues: list.kvs.map { ($0.key, $0.modRevision) })
            allAcked.merge(acked) { _, new in new }
            var lost = 0
            for (key, rev) in allAcked where present[key] != rev { lost += 1 }
            XCTAssertEqual(lost, 0, "round \(round): acknowledged writes lost")
            let maxAcked = acked.values.max() ?? 0
            XCTAssertGreaterThanOrEqual(store.currentRevision, maxAcked)
            XCTAssertGreaterThan(store.currentRevision, lastRevision, "revisions never go backwards")
            // Every revision handed out is a /crash/ key, but for the two of each earlier
            // round's probe: no holes, nothing past the current revision.
            XCTAssertEqual(list.kvs.count, Int(store.currentRevision) - 2 * round)
            print("crash round \(round): killed after \(acked.count) acks (max revision \(maxAcked)); reopened at revision \(store.currentRevision), \(list.kvs.count) keys")
            lastRevision = store.currentRevision
            let next = try await store.create("/after-crash/\(round)", value: Data())
            XCTAssertEqual(next, lastRevision + 1)
            try await store.delete("/after-crash/\(round)")
            lastRevision = store.currentRevision
            await store.close()
        }
    }

    /// The writer half of the crash test, in the child process.
    static func writeUntilKilled(_ path: String) async throws {
        let round = ProcessInfo.processInfo.environment["KUBESTORE_CRASH_CHILD_ROUND"] ?? "0"
        let store = try await KubeStore.open(path: path, options: testOptions())
        let out = FileHandle.standardOutput
        let value = Data(repeating: 0x5a, count: 512)
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<32 {
                group.addTask {
                    var i = 0
                    while true {
                        let key = "/crash/r\(round)/w\(w)/\(i)"
                        // Keys are unique: a failed create is a broken store; the parent
                        // sees the child exit early and fails.
                        guard let rev = try? await store.create(key, value: value) else { exit(3) }
                        // One write(2) per line: atomic on a pipe.
                        out.write(Data("ack \(key) \(rev)\n".utf8))
                        i += 1
                    }
                }
            }
        }
    }
}

/// Group commit, measured: writes/s with 1 and 64 concurrent writers, and commits
/// (each one fsync of the WAL with synchronous=FULL) per write.
final class GroupCommitBenchmark: XCTestCase {
    func testGroupCommitThroughput() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())
        let value = Data(repeating: 0x61, count: 1024)

        func run(writers: Int, total: Int, label: String) async throws -> Double {  // commits per write
            let before = try await store.stats()
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        for i in 0..<(total / writers) {
                            try await store.create("/\(label)/w\(w)/\(i)", value: value)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - start
            let after = try await store.stats()
            let writes = after.writes - before.writes
            let commits = after.commits - before.commits
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(writes) / seconds
            print(String(format: "group commit: %2d writer(s): %5d writes in %.2f s = %6.0f writes/s, %5d commits = %.3f commits (fsyncs) per write",
                         writers, writes, seconds, rate, commits, Double(commits) / Double(writes)))
            return Double(commits) / Double(writes)
        }
        // Throughput is printed, not asserted (speed belongs in benchmarks, not timed
        // tests); what is asserted is the mechanism: concurrent writes share commits.
        let one = try await run(writers: 1, total: 1000, label: "seq")
        let many = try await run(writers: 64, total: 6400, label: "par")
        XCTAssertEqual(one, 1, "a lone writer commits each write")
        XCTAssertLessThan(many, 0.5, "64 concurrent writers must share fsyncs")
    }
}
