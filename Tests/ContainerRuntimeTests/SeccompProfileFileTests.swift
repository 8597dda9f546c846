import XCTest
@testable import ContainerRuntime
import LinuxSys

/// Localhost profiles: the OCI/Docker JSON format as a profile value.
final class SeccompProfileFileTests: XCTestCase {
    func testDockerFormatWithIncludesExcludesArgsAndErrno() throws {
        let json = """
            {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
             "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                         {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
             "syscalls": [
               {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
               {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
               {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
               {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
               {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
               {"names": ["chown"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_CHOWN"]}},
               {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
               {"names": ["unshare"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN", "CAP_CHOWN"]}},
               {"name": "kill", "action": "SCMP_ACT_LOG"}
             ]}
            """
        let profile = try SeccompProfileFile.profile(Array(json.utf8), capabilities: CapabilitySet([.chown]))
        #if arch(x86_64)
        XCTAssertEqual(profile.canonicalText, """
            swiftlet-seccomp-profile 1
            default errno(38)
            arch x86_64 x86 x32
            enosys-newer 1
            rule allow: read write
            rule errno(13): mkdir
            rule allow if arg0==0x8: personality
            rule allow if arg0&0x7e020000==0x0: clone
            rule allow: chown
            rule allow: arch_prctl
            rule log: kill

            """)
        #endif
    }

    func testErrorsNameWhatIsWrong() {
        func message(_ json: String) -> String {
            do {
                _ = try SeccompProfileFile.profile(Array(json.utf8), capabilities: [])
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message(#"{"defaultAction": "SCMP_ACT_NOTIFY"}"#), "unsupported action \"SCMP_ACT_NOTIFY\"")
        XCTAssertEqual(message(#"{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_MIPS"]}"#),
                       "unsupported architecture \"SCMP_ARCH_MIPS\"")
        XCTAssertEqual(message(#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]}]}"#),
                       "argument index 7 is out of range 0…5")
        XCTAssertTrue(message("[1]").hasPrefix("not a seccomp profile in JSON"), message("[1]"))
        let missing = "/nonexistent/profile.json"
        XCTAssertThrowsError(try SeccompProfileFile.load(missing, capabilities: [])) {
            XCTAssertTrue("\($0)".contains("cannot load seccomp profile \"\(missing)\": "), "\($0)")
        }
    }
}
