import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// Bad input: a one-line error naming the problem, a non-zero status, nothing left behind.
final class BadInputTests: PrivilegedTestCase {
    func testMissingImage() throws {
        XCTAssertThrowsError(try sandbox.run(ContainerSpec(image: "nosuch:1.0", command: ["true"]))) { error in
            XCTAssertTrue("\(error)".contains("nosuch"), "\(error)")
        }
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    func testImageInUseIsNotRemoved() throws {
        let started = try sandbox.runtime.run(sandbox.spec(["true"]), attach: false)
        _ = try sandbox.runtime.wait(started)
        XCTAssertThrowsError(try sandbox.runtime.removeImage(Sandbox.image)) { error in
            XCTAssertEqual("\(error)", "image \(Sandbox.image) is in use by container \(started.record.name): remove the container first")
        }
        XCTAssertNoThrow(try sandbox.runtime.images.resolve(Sandbox.image))
        try sandbox.runtime.remove(started.record, force: false)
        XCTAssertEqual(try sandbox.runtime.removeImage(Sandbox.image).count, 1)
        XCTAssertThrowsError(try sandbox.runtime.images.resolve(Sandbox.image))
    }

    func testContainerNamesAreUniqueAndValid() throws {
        var spec = sandbox.spec(["true"])
        spec.name = "web"
        let first = try sandbox.runtime.run(spec, attach: false)
        _ = try sandbox.runtime.wait(first)
        XCTAssertThrowsError(try sandbox.run(spec)) { error in
            XCTAssertEqual("\(error)", "the container name \"web\" is already in use")
        }
        XCTAssertEqual(try sandbox.runtime.find("web").id, first.record.id)
        try sandbox.runtime.remove(first.record, force: false)
        XCTAssertEqual(try sandbox.run(spec).status.code, 0, "a removed container's name is free again")
        spec.name = "../escape"
        XCTAssertThrowsError(try sandbox.run(spec)) { error in
            XCTAssertTrue("\(error)".hasPrefix("invalid container name \"../escape\""), "\(error)")
        }
    }

    func testUnknownCapability() throws {
        var spec = sandbox.spec(["true"])
        spec.capAdd = ["CAP_FLY"]
        XCTAssertThrowsError(try sandbox.run(spec)) { error in
            XCTAssertEqual("\(error)", "unknown capability \"CAP_FLY\"")
        }
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    func testMissingExecutable() throws {
        XCTAssertThrowsError(try sandbox.run("no-such-binary")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("no-such-binary"), message)
            XCTAssertFalse(message.contains("\n"), message)
        }
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    /// Container data on overlayfs (Swiftlet inside a container, say): overlayfs cannot
    /// use it for a container's writable layer, so the rootfs cannot be mounted.
    func testRootfsThatCannotBeMounted() throws {
        let base = "\(sandbox.dir)/ovl"
        let containers = sandbox.runtime.paths.containers
        for d in ["lower", "upper", "work"] { try Files.createDirectory("\(base)/\(d)") }
        try Files.createDirectory(containers)
        try sys("mount overlay", containers) {
            mount("overlay", containers, "overlay", 0, "lowerdir=\(base)/lower,upperdir=\(base)/upper,workdir=\(base)/work")
        }
        defer { umount2(containers, Int32(MNT_DETACH)) }
        XCTAssertThrowsError(try sandbox.run("true")) { error in
            XCTAssertTrue("\(error)".contains("overlay"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertEqual(sandbox.leftovers().filter { !$0.contains(" - overlay ") }, [])
    }

    func testCLIErrorsAreOneLineWithNonZeroStatus() throws {
        let root = sandbox.runtime.paths.root, state = sandbox.runtime.paths.state
        let cases: [([String], String)] = [
            (["run", "--bogus", Sandbox.image], "unknown flag: --bogus"),
            // Missing locally: pulled (the test's network namespace has no route out).
            (["run", "--rm", "nosuch"], "pull nosuch:latest: https://registry-1.docker.io: cannot resolve the host name"),
            (["run", "--rm", "--cap-add", "FLY", Sandbox.image, "true"], "unknown capability \"FLY\""),
            (["run", "--rm", "-m", "lots", Sandbox.image, "true"], "invalid size \"lots\""),
            (["stop", "ghost"], "no container with name or ID \"ghost\""),
        ]
        for (args, expected) in cases {
            let (status, _, stderr) = try runCLI(["--root", root, "--state", state] + args)
            XCTAssertNotEqual(status, 0, "\(args)")
            // `run` may say first that it pulls, as docker does; then the one error line.
            let error = stderr.split(separator: "\n").drop { $0.hasPrefix("Unable to find image") }.first ?? ""
            XCTAssertTrue(error.hasPrefix("swiftlet: "), stderr)
            XCTAssertTrue(error.contains(expected), "\(args): \(stderr)")
        }
        XCTAssertEqual(sandbox.leftovers(), [])
    }

    func testCLIRunReturnsTheContainersStatus() throws {
        let root = sandbox.runtime.paths.root, state = sandbox.runtime.paths.state
        let (status, _, _) = try runCLI(["--root", root, "--state", state, "run", "--rm", Sandbox.image, "sh", "-c", "exit 7"])
        XCTAssertEqual(status, 7)
        XCTAssertEqual(sandbox.leftovers(), [])
    }

}
