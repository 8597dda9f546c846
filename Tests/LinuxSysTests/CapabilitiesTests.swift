import Glibc
import XCTest

@testable import LinuxSys

final class CapabilitiesTests: XCTestCase {
    func testNamesAndNumbers() throws {
        XCTAssertEqual(Capability.allKnown.count, 41)
        XCTAssertEqual(Capability.chown.number, 0)
        XCTAssertEqual(Capability.chown.name, "CAP_CHOWN")
        XCTAssertEqual(Capability.netAdmin.number, 12)
        XCTAssertEqual(Capability.sysAdmin.number, 21)
        XCTAssertEqual(Capability.mknod.number, 27)
        XCTAssertEqual(Capability.auditWrite.number, 29)
        XCTAssertEqual(Capability.setfcap.number, 31)
        XCTAssertEqual(Capability.syslog.number, 34)
        XCTAssertEqual(Capability.perfmon.number, 38)
        XCTAssertEqual(Capability.bpf.number, 39)
        XCTAssertEqual(Capability.checkpointRestore.number, 40)
        XCTAssertEqual(Capability.checkpointRestore.name, "CAP_CHECKPOINT_RESTORE")
        for capability in Capability.allKnown {
            XCTAssertEqual(try Capability.parse(capability.name), capability)
        }
        XCTAssertEqual(Capability(number: 41)?.name, "CAP_41")
        XCTAssertNil(Capability(number: 64))
        XCTAssertNil(Capability(number: -1))
    }

    func testParsingSpellings() throws {
        XCTAssertEqual(try Capability.parse("NET_ADMIN"), .netAdmin)
        XCTAssertEqual(try Capability.parse("CAP_NET_ADMIN"), .netAdmin)
        XCTAssertEqual(try Capability.parse("net_admin"), .netAdmin)
        XCTAssertEqual(try Capability.parse("cap_net_admin"), .netAdmin)
        XCTAssertEqual(try Capability.parse(" SYS_PTRACE "), .sysPtrace)

        XCTAssertThrowsError(try Capability.parse("FOO")) { error in
            XCTAssertEqual("\(error)", #"unknown capability "FOO""#)
        }
        XCTAssertThrowsError(try Capability.parse("ALL"))  // a list keyword, not a capability
        XCTAssertThrowsError(try Capability.parse(""))
        XCTAssertThrowsError(try Capability.parse("CAP_"))

        let all = CapabilitySet.all(lastCap: 40)
        XCTAssertEqual(try CapabilitySet.parse(["ALL"], all: all), all)
        XCTAssertEqual(try CapabilitySet.parse(["all"], all: all), all)
        XCTAssertEqual(try CapabilitySet.parse(["chown", "CAP_KILL"], all: all), CapabilitySet([Capability.chown, Capability.kill]))
        XCTAssertThrowsError(try CapabilitySet.parse(["CHOWN", "BOGUS"], all: all)) { error in
            XCTAssertEqual(error as? CapabilityError, .unknown("BOGUS"))
        }
    }

    func testDefaultMask() {
        XCTAssertEqual(CapabilitySet.containerDefault.rawValue, 0x0000_0000_a804_25fb)
        XCTAssertEqual(CapabilitySet.containerDefault.hex, "0x00000000a80425fb")
        XCTAssertEqual(CapabilitySet.containerDefault.capabilities.count, 14)
        XCTAssertEqual(CapabilitySet.containerDefault.names, [
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT",
            "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP",
        ])
        XCTAssertFalse(CapabilitySet.containerDefault.contains(.sysAdmin))
        XCTAssertTrue(CapabilitySet.containerDefault.contains(.netRaw))
    }

    func testAllUpToLastCap() throws {
        XCTAssertEqual(CapabilitySet.all(lastCap: 40).rawValue, 0x1ff_ffff_ffff)
        XCTAssertEqual(CapabilitySet.all(lastCap: 40).hex, "0x000001ffffffffff")
        XCTAssertEqual(CapabilitySet.all(lastCap: 37).capabilities.last, .auditRead)
        XCTAssertEqual(CapabilitySet.all(lastCap: 63).rawValue, .max)
        XCTAssertEqual(CapabilitySet.all(lastCap: -1).rawValue, 0)

        let last = try CapabilitySet.kernelLastCap()
        let text = try Files.readString("/proc/sys/kernel/cap_last_cap")
        XCTAssertEqual(last, Int(text.filter { !$0.isWhitespace }))
        let kernel = try CapabilitySet.kernelAll()
        XCTAssertEqual(kernel.capabilities.count, last + 1)
        XCTAssertTrue(kernel.isSuperset(of: .containerDefault))
        // This process's bounding set lies within it (a sandbox may have dropped some).
        if let line = try Files.readString("/proc/self/status").split(separator: "\n")
            .first(where: { $0.hasPrefix("CapBnd:") }) {
            let bound = UInt64(line.dropFirst("CapBnd:".count).filter { !$0.isWhitespace }, radix: 16)
            XCTAssertEqual(bound.map { $0 & ~kernel.rawValue }, 0, "CapBnd within cap_last_cap")
        }
    }

    func testAddDropAsTheCRIApplies() throws {
        let all = CapabilitySet.all(lastCap: 40)
        let base = CapabilitySet.containerDefault

        // No add/drop: unchanged.
        XCTAssertEqual(try base.applying(add: [], drop: [], all: all), base)
        // Drop ALL, then add one.
        XCTAssertEqual(try base.applying(add: ["NET_BIND_SERVICE"], drop: ["ALL"], all: all),
                       CapabilitySet([Capability.netBindService]))
        // Add ALL, drop one.
        var expected = all
        expected.remove(.chown)
        XCTAssertEqual(try base.applying(add: ["ALL"], drop: ["CHOWN"], all: all), expected)
        // Add ALL and drop ALL: empty, then individual adds.
        XCTAssertEqual(try base.applying(add: ["ALL", "KILL"], drop: ["ALL"], all: all), CapabilitySet([Capability.kill]))
        // Individual add and drop, any spelling.
        var plusMinus = base
        plusMinus.insert(.netAdmin)
        plusMinus.insert(.sysTime)
        plusMinus.remove(.netRaw)
        plusMinus.remove(.mknod)
        XCTAssertEqual(try base.applying(add: ["NET_ADMIN", "cap_sys_time"], drop: ["net_raw", "CAP_MKNOD"], all: all),
                       plusMinus)
        XCTAssertEqual(plusMinus.hex, "0x00000000a20415fb")
        // A name both added and dropped is dropped (drops come last).
        XCTAssertFalse(try base.applying(add: ["SYS_ADMIN"], drop: ["SYS_ADMIN"], all: all).contains(.sysAdmin))
        // Limited to what the kernel has.
        let old = CapabilitySet.all(lastCap: 37)
        XCTAssertEqual(try base.applying(add: ["BPF"], drop: [], all: old), base)
        XCTAssertEqual(try base.applying(add: ["ALL"], drop: [], all: old), old)
        // Unknown names fail, in add or in drop.
        XCTAssertThrowsError(try base.applying(add: ["FOO"], drop: [], all: all)) { error in
            XCTAssertEqual("\(error)", #"unknown capability "FOO""#)
        }
        XCTAssertThrowsError(try base.applying(add: [], drop: ["CAP_NOPE"], all: all)) { error in
            XCTAssertEqual("\(error)", #"unknown capability "CAP_NOPE""#)
        }
    }

    func testMaskArithmetic() {
        var set: CapabilitySet = []
        set.insert(.chown)
        set.insert(.checkpointRestore)
        XCTAssertEqual(set.rawValue, 1 | 1 << 40)
        XCTAssertEqual(set.union(CapabilitySet([Capability.kill])).rawValue, 1 | 1 << 5 | 1 << 40)
        XCTAssertEqual(set.subtracting(CapabilitySet([Capability.chown])).capabilities, [.checkpointRestore])
        XCTAssertEqual(set.intersection(.containerDefault).capabilities, [Capability.chown])
        XCTAssertEqual(CapabilitySet(Capability.allKnown), .all(lastCap: 40))
        XCTAssertEqual("\(CapabilitySet([Capability.kill, .chown]))", "0x0000000000000021 [CAP_CHOWN CAP_KILL]")
    }
}
