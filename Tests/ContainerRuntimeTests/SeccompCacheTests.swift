import Glibc
import LinuxSys
import XCTest
@testable import ContainerRuntime

final class SeccompCacheTests: XCTestCase {
    private var tempDir = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/swiftlet-seccomp-cache-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp", "/tmp", errno: errno) }
        tempDir = String(cString: made)
    }

    override func tearDownWithError() throws {
        try Files.removeTree(tempDir)
    }

    func testCacheCompilesOncePerProfile() throws {
        let cache = "\(tempDir)/seccomp"
        let profile = SeccompProfiles.runtimeDefault(capabilities: .containerDefault)
        let before = SeccompCache.compilations
        let path = try SeccompCache.compiledProfile(profile, cacheDir: cache)
        XCTAssertEqual(SeccompCache.compilations, before + 1)
        XCTAssertEqual(path, "\(cache)/\(SeccompCache.key(profile)).bpf")
        XCTAssertEqual(SeccompCache.key(profile).count, 64)
        XCTAssertEqual(try Files.read(path), try SeccompCompiler.compile(profile))
        let inode = try FileDescriptor.open(path, O_RDONLY).stat().st_ino

        // A hit: same path, same file, no libseccomp run.
        let again = try SeccompCache.compiledProfile(SeccompProfiles.runtimeDefault(capabilities: .containerDefault),
                                                        cacheDir: cache)
        XCTAssertEqual(again, path)
        XCTAssertEqual(SeccompCache.compilations, before + 1)
        XCTAssertEqual(try FileDescriptor.open(path, O_RDONLY).stat().st_ino, inode)

        // A different profile: another file.
        var admin = CapabilitySet.containerDefault
        admin.insert(.sysAdmin)
        let other = try SeccompCache.compiledProfile(SeccompProfiles.runtimeDefault(capabilities: admin), cacheDir: cache)
        XCTAssertNotEqual(other, path)
        XCTAssertEqual(SeccompCache.compilations, before + 2)
        XCTAssertEqual(try Files.list(cache).count, 2, "no temporary files left")

        // A damaged cache file (not whole instructions) is compiled again.
        try Files.writeAtomically(path, [1, 2, 3])
        XCTAssertEqual(try SeccompCache.compiledProfile(profile, cacheDir: cache), path)
        XCTAssertEqual(SeccompCache.compilations, before + 3)
        XCTAssertEqual(try Files.read(path).count % 8, 0)
    }
}
