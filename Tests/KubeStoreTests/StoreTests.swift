import Foundation
import GRDB
import XCTest
@testable import KubeStore

final class StoreTests: XCTestCase {
    func testCreateGetUpdateConflictDelete() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())

        XCTAssertEqual(store.currentRevision, 0)
        let r1 = try await store.create("/registry/pods/default/a", value: bytes("v1"))
        XCTAssertEqual(r1, 1)
        var kv = try await store.get("/registry/pods/default/a")
        XCTAssertEqual(kv, KeyValue(key: "/registry/pods/default/a", value: bytes("v1"), createRevision: 1,
                                    modRevision: 1, version: 1))

        // create-if-absent
        await assertStoreError(try await store.create("/registry/pods/default/a", value: bytes("x"))) {
            if case .alreadyExists(let current) = $0 { return current.modRevision == 1 } else { return false }
        }
        // update-if-revision-matches
        await assertStoreError(try await store.update("/registry/pods/default/a", value: bytes("x"),
                                                      expectedModRevision: 7)) {
            if case .conflict(let current) = $0 { return current.value == bytes("v1") } else { return false }
        }
        await assertStoreError(try await store.update("/registry/pods/default/missing", value: bytes("x"),
                                                      expectedModRevision: 1)) {
            $0 == .notFound(key: "/registry/pods/default/missing")
        }
        let r2 = try await store.update("/registry/pods/default/a", value: bytes("v2"), expectedModRevision: r1)
        XCTAssertEqual(r2, 2)
        kv = try await store.get("/registry/pods/default/a")
        XCTAssertEqual(kv?.value, bytes("v2"))
        XCTAssertEqual(kv?.createRevision, 1)
        XCTAssertEqual(kv?.modRevision, 2)
        XCTAssertEqual(kv?.version, 2)

        // Failed operations consume no revision.
        XCTAssertEqual(store.currentRevision, 2)

        // delete with a stale precondition, then for real: a tombstone
        await assertStoreError(try await store.delete("/registry/pods/default/a", expectedModRevision: r1)) {
            if case .conflict(let current) = $0 { return current.modRevision == r2 } else { return false }
        }
        let (r3, prev) = try await store.delete("/registry/pods/default/a", expectedModRevision: r2)
        XCTAssertEqual(r3, 3)
        XCTAssertEqual(prev.value, bytes("v2"))
        let gone = try await store.get("/registry/pods/default/a")
        XCTAssertNil(gone)
        await assertStoreError(try await store.delete("/registry/pods/default/a")) {
            $0 == .notFound(key: "/registry/pods/default/a")
        }
        let rows = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, deleted, prev_revision FROM kv ORDER BY id")
        }
        XCTAssertEqual(rows.map { $0[1] as Bool }, [false, false, true], "the delete is a tombstone row")
        XCTAssertEqual(rows.last?[2] as Int64?, 2)

        // History stays readable.
        let atR1 = try await store.get("/registry/pods/default/a", revision: r1)
        XCTAssertEqual(atR1?.value, bytes("v1"))
        let atR2 = try await store.get("/registry/pods/default/a", revision: r2)
        XCTAssertEqual(atR2?.value, bytes("v2"))
        let atR3 = try await store.get("/registry/pods/default/a", revision: r3)
        XCTAssertNil(atR3)

        // A new incarnation after delete.
        let r4 = try await store.create("/registry/pods/default/a", value: bytes("again"))
        kv = try await store.get("/registry/pods/default/a")
        XCTAssertEqual(kv?.createRevision, r4)
        XCTAssertEqual(kv?.version, 1)

        // put: unconditional
        let r5 = try await store.put("/registry/pods/default/a", value: bytes("put"))
        let r6 = try await store.put("/registry/pods/default/b", value: bytes("new"))
        XCTAssertEqual([r5, r6], [5, 6])
        kv = try await store.get("/registry/pods/default/a")
        XCTAssertEqual(kv?.version, 2)

        await assertStoreError(try await store.get("/registry/pods/default/a", revision: 99)) {
            $0 == .futureRevision(requested: 99, current: 6)
        }
    }

    func testRangePrefixLimitContinue() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())

        let pods = (0..<7).map { "/registry/pods/ns1/p\($0)" } + ["/registry/pods/ns2/q"]
        for key in pods.shuffled() { try await store.create(key, value: bytes(key)) }
        try await store.create("/registry/podsecurity/x", value: bytes("not a pod"))
        try await store.create("/registry/services/ns1/s", value: bytes("svc"))
        let before = store.currentRevision
        try await store.delete("/registry/pods/ns1/p3")
        let p0 = try await store.get("/registry/pods/ns1/p0")
        try await store.update("/registry/pods/ns1/p0", value: bytes("changed"), expectedModRevision: p0!.modRevision)

        let all = try await store.range(.prefix("/registry/pods/"))
        XCTAssertEqual(all.kvs.map(\.key), pods.filter { $0 != "/registry/pods/ns1/p3" })
        XCTAssertEqual(all.count, 7)
        XCTAssertFalse(all.more)
        XCTAssertEqual(all.revision, store.currentRevision)
        XCTAssertEqual(all.kvs.first?.value, bytes("changed"))

        // Pages of 3 at one revision, continuing after the last key.
        var keys: [String] = []
        var after: String?
        var pages = 0
        var counts: [Int] = []
        repeat {
            let page = try await store.range(.prefix("/registry/pods/"), revision: all.revision, limit: 3,
                                             continueAfter: after)
            keys += page.kvs.map(\.key)
            counts.append(page.count)
            after = page.kvs.last?.key
            pages += 1
            if !page.more { break }
        } while pages < 10
        XCTAssertEqual(keys, all.kvs.map(\.key))
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(counts, [7, 4, 1], "count covers the continued range, regardless of limit")

        // An old revision: p3 present, p0 unchanged.
        let old = try await store.range(.prefix("/registry/pods/ns1/"), revision: before)
        XCTAssertEqual(old.kvs.count, 7)
        XCTAssertEqual(old.kvs.first?.value, bytes("/registry/pods/ns1/p0"))
        XCTAssertEqual(old.revision, before)

        // Single key, interval, everything.
        let one = try await store.range(.key("/registry/services/ns1/s"))
        XCTAssertEqual(one.kvs.map(\.key), ["/registry/services/ns1/s"])
        let interval = try await store.range(.interval(from: "/registry/pods/ns1/p5", to: "/registry/pods/ns2/q"))
        XCTAssertEqual(interval.kvs.map(\.key), ["/registry/pods/ns1/p5", "/registry/pods/ns1/p6"])
        let everything = try await store.range(.all)
        XCTAssertEqual(everything.count, 9)
        let limited = try await store.range(.all, limit: 100)
        XCTAssertEqual(limited.kvs.count, 9)
        XCTAssertFalse(limited.more)
    }

    func testPrefixEndBytes() {
        XCTAssertEqual(KeyRange.prefixEnd(Array("/a/".utf8)), Array("/a0".utf8))
        XCTAssertEqual(KeyRange.prefixEnd([0x61, 0xff]), [0x62])
        XCTAssertNil(KeyRange.prefixEnd([0xff, 0xff]))
        XCTAssertNil(KeyRange.prefixEnd([]))
    }

    func testReadsBelowCompactRevisionFail() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())
        var rev = try await store.create("k", value: bytes("0"))
        for i in 1...9 { rev = try await store.update("k", value: bytes("\(i)"), expectedModRevision: rev) }
        try await store.create("other", value: bytes("x"))
        try await store.compact(5)
        XCTAssertEqual(store.compactRevision, 5)
        await assertStoreError(try await store.get("k", revision: 4)) { $0 == .compacted(compactRevision: 5) }
        await assertStoreError(try await store.range(.all, revision: 2)) { $0 == .compacted(compactRevision: 5) }
        let at5 = try await store.get("k", revision: 5)
        XCTAssertEqual(at5?.value, bytes("4"))
        let at7 = try await store.get("k", revision: 7)
        XCTAssertEqual(at7?.value, bytes("6"))
        await assertStoreError(try await store.compact(5)) { $0 == .compacted(compactRevision: 5) }
        await assertStoreError(try await store.compact(500)) {
            if case .futureRevision = $0 { return true } else { return false }
        }
        let stats = try await store.stats()
        XCTAssertEqual(stats.rowCount, 7, "rows 1-4 superseded at or below 5 are gone")
    }

    func testConcurrentUpdatesOneWins() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())
        let rev = try await store.create("contended", value: bytes("0"))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask {
                    (try? await store.update("contended", value: bytes("\(i)"), expectedModRevision: rev)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        XCTAssertEqual(outcomes.filter { $0 }.count, 1)
        XCTAssertEqual(store.currentRevision, 2)
    }

    /// 64 concurrent writers: every write acknowledged, revisions unique and dense, every
    /// acknowledged value visible, and far fewer commits than writes (group commit).
    func testConcurrentWritersDenseRevisions() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())
        let perWriter = 40
        let acks = try await withThrowingTaskGroup(of: [(String, Revision)].self) { group in
            for w in 0..<64 {
                group.addTask {
                    var mine: [(String, Revision)] = []
                    for i in 0..<perWriter {
                        let key = "/w\(w)/k\(i)"
                        mine.append((key, try await store.create(key, value: bytes("\(w).\(i)"))))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [(String, Revision)]()) { $0 += $1 }
        }
        XCTAssertEqual(acks.count, 64 * perWriter)
        let revisions = acks.map(\.1).sorted()
        XCTAssertEqual(revisions, Array(1...Revision(64 * perWriter)), "unique and dense")
        let listed = try await store.range(.all)
        let byKey = Dictionary(uniqueKeysWithValues: listed.kvs.map { ($0.key, $0.modRevision) })
        for (key, rev) in acks { XCTAssertEqual(byKey[key], rev, key) }
        let stats = try await store.stats()
        XCTAssertEqual(stats.writes, 64 * perWriter)
        XCTAssertLessThan(stats.commits, stats.writes / 4, "writes share commits")
        print("64 writers × \(perWriter): \(stats.writes) writes in \(stats.commits) commits")
    }

    func testSQLiteSettings() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await KubeStore.open(path: dir + "/kv.db", options: testOptions())
        let (sync, vacuum, journal) = try await store.pool.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try Int.fetchOne(db, sql: "PRAGMA auto_vacuum"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        XCTAssertEqual(sync, 2, "synchronous = FULL: each commit fsyncs the WAL")
        XCTAssertEqual(vacuum, 2, "auto_vacuum = INCREMENTAL")
        XCTAssertEqual(journal, "wal")
        await store.close()
        // Reopened: still FULL on the writer.
        let again = try await KubeStore.open(path: dir + "/kv.db", options: testOptions())
        let sync2 = try await again.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        XCTAssertEqual(sync2, 2)
        await again.close()
        await assertStoreError(try await again.create("x", value: Data())) { $0 == .closed }
    }

    func testLeasesExpireWithDeleteEvents() async throws {
        let dir = try temporaryDirectory(self)
        let store = try await openTestStore(self, at: dir + "/kv.db", options: testOptions())

        await assertStoreError(try await store.create("/events/x", value: bytes("x"), lease: 12345)) {
            $0 == .leaseNotFound(12345)
        }
        let short = try await store.grantLease(ttl: 1)
        let long = try await store.grantLease(ttl: 60)
        XCTAssertNotEqual(short, long)
        try await store.create("/events/a", value: bytes("a"), lease: short)
        try await store.create("/events/b", value: bytes("b"), lease: short)
        try await store.create("/events/keep", value: bytes("k"), lease: long)
        try await store.create("/other", value: bytes("o"))
        let ttl = try await store.leaseTimeToLive(short)
        XCTAssertEqual(ttl?.ttl, 1)
        let leased = try await store.get("/events/a")
        XCTAssertEqual(leased?.lease, short)

        let watch = try await store.watch(.prefix("/events/"), fromRevision: store.currentRevision + 1)
        let events = try await take(watch, 2, timeout: .seconds(5))
        XCTAssertEqual(events.map(\.kind), [.delete, .delete])
        XCTAssertEqual(Set(events.map(\.key)), ["/events/a", "/events/b"])
        XCTAssertEqual(Set(events.compactMap { $0.prevKV?.value }), [bytes("a"), bytes("b")])
        let a = try await store.get("/events/a")
        XCTAssertNil(a)
        let keep = try await store.get("/events/keep")
        XCTAssertNotNil(keep)
        let gone = try await store.leaseTimeToLive(short)
        XCTAssertNil(gone)
        await assertStoreError(try await store.keepAliveLease(short)) { $0 == .leaseNotFound(short) }

        // Keep-alive holds a lease; revoke deletes its keys at once.
        let kept = try await store.grantLease(ttl: 1)
        try await store.create("/events/kept", value: bytes("k"), lease: kept)
        for _ in 0..<4 {
            try await Task.sleep(for: .milliseconds(400))
            try await store.keepAliveLease(kept)
        }
        let stillThere = try await store.get("/events/kept")
        XCTAssertNotNil(stillThere)
        try await store.revokeLease(kept)
        let revokedKey = try await store.get("/events/kept")
        XCTAssertNil(revokedKey)
        let revoked = try await take(watch, 2)
        XCTAssertEqual(revoked.map(\.kind), [.put, .delete])
        XCTAssertEqual(revoked.last?.key, "/events/kept")

        // An update without the lease detaches the key.
        let third = try await store.grantLease(ttl: 1)
        let r = try await store.create("/events/detached", value: bytes("1"), lease: third)
        try await store.update("/events/detached", value: bytes("2"), expectedModRevision: r)
        try await Task.sleep(for: .milliseconds(1500))
        let detached = try await store.get("/events/detached")
        XCTAssertEqual(detached?.value, bytes("2"))
    }

    func testLeasesSurviveReopen() async throws {
        let dir = try temporaryDirectory(self)
        var store = try await KubeStore.open(path: dir + "/kv.db", options: testOptions())
        let lease = try await store.grantLease(ttl: 1)
        try await store.create("/events/a", value: bytes("a"), lease: lease)
        await store.close()
        try await Task.sleep(for: .milliseconds(1200))
        store = try await KubeStore.open(path: dir + "/kv.db", options: testOptions())
        defer { let s = store; Task { await s.close() } }
        let expired = await eventually(timeout: .seconds(3)) { (try? await store.get("/events/a")) == .some(nil) }
        XCTAssertTrue(expired, "a lease that expired while the store was down expires on open")
    }

    /// Revisions never go backwards: not across reopen, not when compaction deletes the
    /// newest rows (the newest row is a tombstone and is compacted away).
    func testRevisionsMonotonicAcrossReopenAndCompaction() async throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        var store = try await KubeStore.open(path: path, options: testOptions())
        try await store.create("a", value: bytes("1"))
        try await store.create("b", value: bytes("2"))
        try await store.delete("a")
        try await store.delete("b")
        let last = store.currentRevision
        XCTAssertEqual(last, 4)
        try await store.compact(last)
        var stats = try await store.stats()
        XCTAssertEqual(stats.rowCount, 0, "every row compacted, the newest included")
        XCTAssertEqual(stats.revision, 4)
        await store.close()

        store = try await KubeStore.open(path: path, options: testOptions())
        XCTAssertEqual(store.currentRevision, 4)
        XCTAssertEqual(store.compactRevision, 4)
        let next = try await store.create("c", value: bytes("3"))
        XCTAssertEqual(next, 5)
        let list = try await store.range(.all)
        XCTAssertEqual(list.revision, 5)
        await store.close()

        store = try await KubeStore.open(path: path, options: testOptions())
        stats = try await store.stats()
        XCTAssertEqual(stats.revision, 5)
        let six = try await store.create("d", value: Data())
        XCTAssertEqual(six, 6)
        await store.close()
    }

    /// A crash between recording a compaction and deleting its rows: the deletion
    /// resumes at the next open.
    func testInterruptedCompactionResumesAtOpen() async throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        var store = try await KubeStore.open(path: path, options: testOptions())
        for i in 0..<20 { try await store.put("k", value: bytes("\(i)")) }
        await store.close()
        let q = try DatabaseQueue(path: path)
        try await q.write { db in try db.execute(sql: "UPDATE meta SET value = 15 WHERE name = 'compact_revision'") }
        try q.close()
        store = try await KubeStore.open(path: path, options: testOptions())
        defer { let s = store; Task { await s.close() } }
        XCTAssertEqual(store.compactRevision, 15)
        let resumed = try await eventually(timeout: .seconds(5)) { try await store.stats().rowCount == 6 }
        XCTAssertTrue(resumed, "rows 1-14 removed after reopening")
        let value = try await store.get("k", revision: 15)
        XCTAssertEqual(value?.value, bytes("14"))
    }

    /// Automatic compaction plus incremental vacuum keep a store that rewrites the same
    /// keys from growing.
    func testAutomaticCompactionKeepsDatabaseBounded() async throws {
        let dir = try temporaryDirectory(self)
        var options = testOptions()
        options.compactionInterval = .milliseconds(200)
        options.historyRetention = .zero
        options.minRetainedRevisions = 10
        let store = try await openTestStore(self, at: dir + "/kv.db", options: options)
        let big = Data(repeating: 0x61, count: 8192)
        var revs: [String: Revision] = [:]
        for i in 0..<600 {
            let key = "/k\(i % 3)"
            if let r = revs[key] {
                revs[key] = try await store.update(key, value: big, expectedModRevision: r)
            } else {
                revs[key] = try await store.create(key, value: big)
            }
        }
        let grown = try await store.stats()
        let compacted = try await eventually(timeout: .seconds(10)) {
            let s = try await store.stats()
            return s.compactRevision >= 590 && s.rowCount <= 13 && s.freeSize == 0
        }
        XCTAssertTrue(compacted)
        let s = try await store.stats()
        print("auto-compaction: before \(grown.rowCount) rows, \(grown.databaseSize) bytes; after \(s.rowCount) rows, \(s.databaseSize) bytes, file \(s.fileSize), wal \(s.walSize), compact revision \(s.compactRevision)")
        XCTAssertLessThan(s.databaseSize, 600 * 8192 / 10, "far below the 600 values written")
        XCTAssertLessThanOrEqual(s.fileSize, s.databaseSize, "free pages returned to the file system")
        let list = try await store.range(.all)
        XCTAssertEqual(list.kvs.count, 3)
        XCTAssertEqual(list.kvs.map(\.modRevision), list.kvs.map { revs[$0.key]! })
    }

    func testCorruptDatabaseIsRefused() async throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        let store = try await KubeStore.open(path: path, options: testOptions())
        let value = Data(repeating: 0x42, count: 300)
        for i in 0..<3000 { try await store.put("/registry/configmaps/ns/cm\(i)", value: value) }
        await store.close()  // the last connection checkpoints the WAL into the file

        let fm = FileManager.default
        let copy = dir + "/copy.db"
        try fm.copyItem(atPath: path, toPath: copy)
        let size = (try fm.attributesOfItem(atPath: copy)[.size] as! NSNumber).intValue
        XCTAssertGreaterThan(size, 200_000)
        // Overwrite four pages in the middle with garbage.
        let handle = FileHandle(forUpdatingAtPath: copy)!
        let offset = (size / 2) / 4096 * 4096
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data((0..<(4 * 4096)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }))
        try handle.close()

        do {
            let s = try await KubeStore.open(path: copy, options: testOptions())
            await s.close()
            XCTFail("a corrupt database was opened")
        } catch let e as KubeStoreError {
            guard case .corrupt(let p, _) = e else { return XCTFail("unexpected error \(e)") }
            XCTAssertEqual(p, copy)
            let message = e.description
            print("refused: \(message)")
            XCTAssertTrue(message.contains(copy))
            XCTAssertFalse(message.contains("\n"), "one line")
        }

        // A garbage header (not a database at all) is refused the same way.
        let junk = dir + "/junk.db"
        try Data(repeating: 0x17, count: 8192).write(to: URL(fileURLWithPath: junk))
        await assertStoreError(try await KubeStore.open(path: junk, options: testOptions())) {
            if case .corrupt(let p, _) = $0 { return p == junk } else { return false }
        }

        // The original is fine.
        let ok = try await KubeStore.open(path: path, options: testOptions())
        let okCount = try await ok.range(.all).count
        XCTAssertEqual(okCount, 3000)
        await ok.close()
    }

    /// One process owns a store: a second open and a restore over it are refused while it
    /// is open, and work again once it is closed.
    func testAnOpenStoreIsOwnedByOneProcess() async throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        let store = try await KubeStore.open(path: path, options: testOptions())
        try await store.create("/a", value: bytes("a"))
        await assertStoreError(try await KubeStore.open(path: path, options: testOptions())) { $0 == .inUse(path: path) }
        let backup = try KubeStore.backup(database: path, to: dir + "/b.db")
        XCTAssertEqual(backup, 1)
        XCTAssertThrowsError(try KubeStore.restore(from: dir + "/b.db", to: path)) { error in
            XCTAssertEqual(error as? KubeStoreError, .inUse(path: path))
            XCTAssertTrue("\(error)".contains("stop the server first"), "\(error)")
        }
        await store.close()
        XCTAssertEqual(try KubeStore.restore(from: dir + "/b.db", to: path), 1)
        let reopened = try await KubeStore.open(path: path, options: testOptions())
        let value = try await reopened.get("/a")?.value
        XCTAssertEqual(value, bytes("a"))
        await reopened.close()
    }

    /// `swiftlet store backup` reads the database through a connection of its own while
    /// the owner keeps writing: the copy holds exactly the writes up to its revision.
    func testBackupFromAnotherConnectionWhileWriting() async throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        let store = try await KubeStore.open(path: path, options: testOptions())
        let writer = Task {
            for i in 0..<400 { _ = try await store.create("/k/\(i)", value: bytes("\(i)")) }
        }
        _ = await eventually { store.currentRevision >= 100 }
        let revision = try await Task.detached { try KubeStore.backup(database: path, to: dir + "/copy.db") }.value
        try await writer.value
        await store.close()
        XCTAssertGreaterThanOrEqual(revision, 100)
        XCTAssertLessThanOrEqual(revision, 400)
        XCTAssertThrowsError(try KubeStore.backup(database: dir + "/none.db", to: dir + "/x.db"))
        try KubeStore.restore(from: dir + "/copy.db", to: dir + "/restored/kv.db")
        let restored = try await KubeStore.open(path: dir + "/restored/kv.db", options: testOptions())
        let keys = try await restored.range(.prefix("/k/")).kvs.map(\.key)
        XCTAssertEqual(keys.count, Int(revision))
        XCTAssertEqual(Set(keys), Set((0..<Int(revision)).map { "/k/\($0)" }))
        await restored.close()
    }

    /// Online backup while writers run; restore into a new path and over the original.
    func testBackupRestoreWhileWriting() async throws {
        let dir = try temporaryDirectory(self)
        let path = dir + "/kv.db"
        let store = try await KubeStore.open(path: path, options: testOptions())
        let acked = AckLog()
        let stop = StopFlag()
        let writers = (0..<8).map { w in
            Task {
                var i = 0
                while !stop.isSet {
                    let key = "/w\(w)/\(i)"
                    if let rev = try? await store.create(key, value: bytes(key)) { acked.add(key, rev) }
                    i += 1
                }
            }
        }
        _ = await eventually { acked.count >= 300 }
        let backupRevision = try await store.backup(to: dir + "/backup.db")
        _ = await eventually { acked.count >= 600 }
        stop.set()
        for w in writers { await w.value }
        let finalRevision = store.currentRevision
        await store.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/backup.db-wal"), "self-contained backup")
        let all = acked.all
        XCTAssertGreaterThan(backupRevision, 0)
        XCTAssertLessThan(backupRevision, finalRevision)

        // Into a new place.
        let restoredRevision = try KubeStore.restore(from: dir + "/backup.db", to: dir + "/restored/kv.db")
        XCTAssertEqual(restoredRevision, backupRevision)
        var restored = try await KubeStore.open(path: dir + "/restored/kv.db", options: testOptions())
        var list = try await restored.range(.all)
        let expected = Set(all.filter { $0.1 <= backupRevision }.map(\.0))
        XCTAssertEqual(Set(list.kvs.map(\.key)), expected, "exactly the writes up to the backup's revision")
        XCTAssertEqual(list.kvs.count, Int(backupRevision))
        await restored.close()

        // Over the original: revisions do not go back, and old watches must relist.
        let revision = try KubeStore.restore(from: dir + "/backup.db", to: path)
        XCTAssertEqual(revision, finalRevision)
        restored = try await KubeStore.open(path: path, options: testOptions())
        XCTAssertEqual(restored.currentRevision, finalRevision)
        XCTAssertEqual(restored.compactRevision, finalRevision)
        list = try await restored.range(.all)
        XCTAssertEqual(Set(list.kvs.map(\.key)), expected)
        await assertStoreError(try await restored.watch(.all, fromRevision: backupRevision)) {
            $0 == .compacted(compactRevision: finalRevision)
        }
        let next = try await restored.create("/after", value: Data())
        XCTAssertEqual(next, finalRevision + 1)
        await restored.close()

        // A corrupt backup is refused, and the database is left alone.
        try Data(repeating: 1, count: 4096).write(to: URL(fileURLWithPath: dir + "/bad.db"))
        XCTAssertThrowsError(try KubeStore.restore(from: dir + "/bad.db", to: path))
        let check = try await KubeStore.open(path: path, options: testOptions())
        XCTAssertEqual(check.currentRevision, finalRevision + 1)
        await check.close()
    }
}

final class AckLog: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var entries: [(String, Revision)] = []
    func add(_ key: String, _ rev: Revision) { lock.withLock { entries.append((key, rev)) } }
    var count: Int { lock.withLock { entries.count } }
    var all: [(String, Revision)] { lock.withLock { entries } }
}

final class StopFlag: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
