@testable import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// Pulls from a real registry (Debian's docker-registry on 127.0.0.1 in the test's own
/// network namespace) holding images the tests push with Swiftlet's own client: the
/// example busybox image (two layers, a whiteout and an opaque directory), an index of
/// two platforms, and the same behind basic auth, token auth and TLS. A proxy in front
/// of the registry counts requests and breaks answers on demand.
final class RegistryPullTests: PrivilegedTestCase {
    private var registry: TestRegistry!
    private var proxy: RegistryProxy!
    private var layout: String { "\(sandbox.dir)/root/example-layout" }
    private var store: ImageStore { sandbox.runtime.images }

    override func tearDown() {
        registry?.stop()
        registry = nil
        super.tearDown()
    }

    /// The sandbox's store emptied (its example image goes; the layout stays to push),
    /// a registry holding the example image as test/busybox:1, and a proxy before it.
    private func start(auth: TestRegistry.Auth = .none) async throws {
        try store.remove(Sandbox.image)
        XCTAssertEqual(try store.content.list(), [])
        registry = try TestRegistry(dir: "\(sandbox.dir)/registry", auth: auth)
        if case .none = auth {
            try await registry.push(layout: layout, repository: "test/busybox", tag: "1")
            proxy = try await RegistryProxy(upstream: registry.host)
        }
    }

    private func stopProxy() async { await proxy?.stop() }

    private func pull(_ reference: String, into store: ImageStore? = nil, config: RegistryConfig = RegistryConfig(),
                      credentialFiles: [String] = [], platform: OCIPlatform = .host) async throws -> PullResult {
        let client = RegistryClient(config: config, credentialFiles: DockerCredentialFiles(paths: credentialFiles))
        let puller = ImagePuller(store: store ?? self.store, client: client)
        do {
            let result = try await puller.pull(reference, platform: platform)
            try await client.shutdown()
            return result
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    /// The error a pull fails with; fails the test when it succeeds or the error is not
    /// one line that starts `pull <reference>: `.
    private func pullError(_ reference: String, config: RegistryConfig = RegistryConfig(), credentialFiles: [String] = [],
                           platform: OCIPlatform = .host, file: StaticString = #filePath,
                           line: UInt = #line) async -> ImageError? {
        do {
            let result = try await pull(reference, config: config, credentialFiles: credentialFiles, platform: platform)
            XCTFail("pull \(reference) succeeded: \(result.record)", file: file, line: line)
            return nil
        } catch let error as ImageError {
            let familiar = (try? ImageReference.parse(reference))?.familiar ?? reference
            XCTAssertTrue(error.message.hasPrefix("pull \(familiar): "), "\(error)", file: file, line: line)
            XCTAssertFalse(error.message.contains("\n"), "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("not an ImageError: \(error)", file: file, line: line)
            return nil
        }
    }

    private func blobRequests(_ requests: [String]) -> [String] { requests.filter { $0.contains("/blobs/") } }

    /// Nothing half-written: every stored blob matches its digest; in ingest/ at most the
    /// `<hex>.partial` of downloads that broke off (kept to resume), never a blob.
    private func assertStoreIsWhole(_ store: ImageStore, file: StaticString = #filePath, line: UInt = #line) throws {
        for digest in try store.content.list() {
            XCTAssertEqual(ContentDigest.of(try Files.read(store.content.path(of: digest))), digest, file: file, line: line)
        }
        let ingest = (try? Files.list("\(store.imagesDirectory)/ingest")) ?? []
        XCTAssertEqual(ingest.filter { !$0.hasSuffix(".partial") }, [], "ingest leftovers", file: file, line: line)
    }

    private func partials(_ store: ImageStore) -> [String] {
        ((try? Files.list("\(store.imagesDirectory)/ingest")) ?? []).filter { $0.hasSuffix(".partial") }
    }

    // MARK: - Pull, run, re-pull, by digest

    func testPullRunRepullAndPullByDigest() async throws {
        try await start()
        let name = "\(proxy.host)/test/busybox:1"
        let first = try await pull(name)
        XCTAssertEqual(first.downloadedBlobs, 3, "config and two layers")
        XCTAssertEqual(first.record.name, name)
        XCTAssertEqual(blobRequests(proxy.takeRequests()).count, 3)

        // The pulled layers run: the whiteout hides /etc/motd, the opaque dir shows only `new`.
        var spec = sandbox.spec(["sh", "-c", "test ! -e /etc/motd && ls /usr/share/swiftlet-example && cat /etc/os-release"])
        spec.image = name
        let run = try sandbox.run(spec)
        XCTAssertEqual(run.status.code, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("new\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("swiftlet"), run.stdout)

        // Again: the tag is resolved, nothing is downloaded.
        let again = try await pull(name)
        XCTAssertEqual(again.downloadedBlobs, 0)
        XCTAssertEqual(again.record.manifestDigest, first.record.manifestDigest)
        let requests = proxy.takeRequests()
        XCTAssertEqual(blobRequests(requests), [])
        XCTAssertTrue(requests.contains { $0.contains("/manifests/1") }, "\(requests)")

        // By digest, with the image here: no request at all.
        let byDigest = "\(proxy.host)/test/busybox@\(first.record.manifestDigest)"
        let local = try await pull(byDigest)
        XCTAssertEqual(local.record.manifestDigest, first.record.manifestDigest)
        XCTAssertEqual(proxy.takeRequests(), [])

        // By digest into an empty store: fetched and verified, named with the digest.
        let other = ImageStore(root: "\(sandbox.dir)/other")
        let fetched = try await pull(byDigest, into: other)
        XCTAssertEqual(fetched.downloadedBlobs, 3)
        XCTAssertEqual(fetched.record.name, byDigest)
        XCTAssertEqual(try other.resolve(byDigest).manifestDigest, first.record.manifestDigest)
        try assertStoreIsWhole(other)
        await stopProxy()
    }

    func testConcurrentPullsShareOneDownload() async throws {
        try await start()
        let name = "\(proxy.host)/test/busybox:1"
        let client = RegistryClient(config: RegistryConfig(), credentialFiles: DockerCredentialFiles(paths: []))
        let puller = ImagePuller(store: store, client: client)
        async let a = puller.pull(name)
        async let b = puller.pull(name)
        async let c = puller.pull(name)
        let results = try await [a, b, c]
        try await client.shutdown()
        XCTAssertEqual(Set(results.map(\.record.manifestDigest)).count, 1)
        XCTAssertEqual(results.map(\.downloadedBlobs).reduce(0, +), 3, "each blob downloaded by one pull only")
        let blobs = blobRequests(proxy.takeRequests())
        XCTAssertEqual(blobs.count, 3, "\(blobs)")
        XCTAssertEqual(Set(blobs).count, 3, "no blob fetched twice: \(blobs)")
        try assertStoreIsWhole(store)

        // Two pullers (as two processes would be) on one store: the per-blob flock lets
        // one download each blob while the other waits for it.
        let fresh = ImageStore(root: "\(sandbox.dir)/shared")
        let clientA = RegistryClient(config: RegistryConfig(), credentialFiles: DockerCredentialFiles(paths: []))
        let clientB = RegistryClient(config: RegistryConfig(), credentialFiles: DockerCredentialFiles(paths: []))
        async let x = ImagePuller(store: fresh, client: clientA).pull(name)
        async let y = ImagePuller(store: fresh, client: clientB).pull(name)
        let both = try await [x, y]
        try await clientA.shutdown()
        try await clientB.shutdown()
        XCTAssertEqual(both.map(\.downloadedBlobs).reduce(0, +), 3)
        XCTAssertEqual(blobRequests(proxy.takeRequests()).count, 3)
        try assertStoreIsWhole(fresh)
        await stopProxy()
    }

    // MARK: - Index

    func testIndexOfTwoPlatformsGivesThisOne() async throws {
        try await start()
        let layoutIndex = try JSON.decode(OCIIndex.self, try Files.read("\(layout)/index.json"), what: "index")
        var amd64 = layoutIndex.manifests[0]
        amd64.annotations = nil
        amd64.platform = OCIPlatform(architecture: "amd64", os: "linux")
        let builder = try OCILayoutBuilder(directory: layout)
        try builder.addLayer { try $0.addFile("arm64-only", contents: "arm64\n") }
        var arm64 = try builder.finish(config: ImageConfig(cmd: ["sh"]), names: [],
                                       platform: OCIPlatform(architecture: "arm64", os: "linux", variant: "v8"))
        arm64.annotations = nil
        let attestation = OCIDescriptor(mediaType: OCIMediaType.manifest, digest: amd64.digest, size: amd64.size,
                                        platform: OCIPlatform(architecture: "unknown", os: "unknown"))
        let index = try JSON.encode(OCIIndex(schemaVersion: 2, mediaType: OCIMediaType.index,
                                             manifests: [attestation, arm64, amd64], annotations: nil))
        let indexDigest = try await registry.push(layout: layout, repository: "test/multi", tag: "1", index: index)
        XCTAssertNotEqual(OCIPlatform.host.architecture, "arm64", "these tests expect an amd64 host")

        let host = try await pull("\(proxy.host)/test/multi:1")
        XCTAssertEqual(host.record.manifestDigest, amd64.digest.description)
        XCTAssertEqual(host.record.indexDigest, indexDigest.description)
        _ = proxy.takeRequests()
        let byIndex = try await pull("\(proxy.host)/test/multi@\(indexDigest)")
        XCTAssertEqual(byIndex.record.manifestDigest, amd64.digest.description, "found by the index digest")
        XCTAssertEqual(proxy.takeRequests(), [])

        let other = ImageStore(root: "\(sandbox.dir)/arm")
        let arm = try await pull("\(proxy.host)/test/multi:1", into: other,
                                 platform: OCIPlatform(architecture: "arm64", os: "linux", variant: "v8"))
        XCTAssertEqual(arm.record.manifestDigest, arm64.digest.description)
        XCTAssertEqual(try other.resolve("\(proxy.host)/test/multi:1").architecture, "arm64")

        let error = await pullError("\(proxy.host)/test/multi:1", platform: OCIPlatform(architecture: "s390x", os: "linux"))
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertTrue(error?.message.contains("no image for linux/s390x") == true, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("(has linux/arm64/v8, linux/amd64)") == true, "\(String(describing: error))")
        await stopProxy()
    }

    // MARK: - Authentication

    func testBasicAuthFromRegistriesYamlOrDockerConfig() async throws {
        try await start(auth: .htpasswd(TestRegistry.htpasswd))
        let good = RegistryConfig.Auth(username: "swiftlet", password: "swiftlet-secret")
        try await registry.push(layout: layout, repository: "private/busybox", tag: "1", credentials: good)
        let name = "\(registry.host)/private/busybox:1"

        let anonymous = await pullError(name)
        XCTAssertEqual(anonymous?.kind, .unauthorized)
        XCTAssertTrue(anonymous?.message.contains("authentication required") == true, "\(String(describing: anonymous))")
        let wrong = RegistryConfig(configs: [registry.host: .init(auth: .init(username: "swiftlet", password: "nope"))])
        let refused = await pullError(name, config: wrong)
        XCTAssertEqual(refused?.kind, .unauthorized)
        XCTAssertEqual(try store.list(), [])

        let yaml = try RegistryConfig.parse("""
            configs:
              "\(registry.host)":
                auth:
                  username: swiftlet
                  password: swiftlet-secret
            """)
        let pulled = try await pull(name, config: yaml)
        XCTAssertEqual(pulled.downloadedBlobs, 3)

        try store.remove(name)
        let dockerConfig = "\(sandbox.dir)/config.json"
        try Files.writeAtomically(dockerConfig, #"{"auths":{"\#(registry.host)":{"auth":"c3dpZnRsZXQ6c3dpZnRsZXQtc2VjcmV0"}}}"#)
        let fromFile = try await pull(name, credentialFiles: [dockerConfig])
        XCTAssertEqual(fromFile.record.name, name)
    }

    func testBearerTokenFlow() async throws {
        let keys = "\(sandbox.dir)/token"
        try Files.createDirectory(keys)
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", "\(keys)/key.pem", "-out", "\(keys)/cert.pem", "-days", "2", "-subj", "/CN=swiftlet-test-token"])
        let tokens = try await TestTokenServer(keyPEM: try Files.readString("\(keys)/key.pem"), anonymousPull: false)
        defer { Task { await tokens.server.stop() } }
        try await start(auth: .token(realm: tokens.realm, certificate: "\(keys)/cert.pem"))
        let good = RegistryConfig.Auth(username: "swiftlet", password: "swiftlet-secret")
        try await registry.push(layout: layout, repository: "private/busybox", tag: "1", credentials: good)
        let name = "\(registry.host)/private/busybox:1"

        let anonymous = await pullError(name)
        XCTAssertEqual(anonymous?.kind, .unauthorized)
        XCTAssertTrue(anonymous?.message.contains("token server") == true, "\(String(describing: anonymous))")
        let before = tokens.issued.withLock { $0 }
        let pulled = try await pull(name, config: RegistryConfig(configs: [registry.host: .init(auth: good)]))
        XCTAssertEqual(pulled.downloadedBlobs, 3)
        XCTAssertEqual(tokens.issued.withLock { $0 } - before, 1, "one token serves the whole pull")
        try assertStoreIsWhole(store)
    }

    // MARK: - TLS

    func testTLSRegistryTrustedThroughRegistriesYaml() async throws {
        let pki = "\(sandbox.dir)/pki"
        try Files.createDirectory(pki)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "\(pki)/ca.key", "-out", "\(pki)/ca.crt", "-days", "2",
                                             "-subj", "/CN=swiftlet-test-ca"])
        try openssl(["req"] + ec + ["-keyout", "\(pki)/server.key", "-out", "\(pki)/server.csr", "-subj", "/CN=127.0.0.1"])
        try Files.writeAtomically("\(pki)/server.ext", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try openssl(["x509", "-req", "-in", "\(pki)/server.csr", "-CA", "\(pki)/ca.crt", "-CAkey", "\(pki)/ca.key",
                     "-CAcreateserial", "-out", "\(pki)/server.crt", "-days", "2", "-extfile", "\(pki)/server.ext"])
        try store.remove(Sandbox.image)
        registry = try TestRegistry(dir: "\(sandbox.dir)/registry", tls: ("\(pki)/server.crt", "\(pki)/server.key"))
        let name = "\(registry.host)/secure/busybox:1"

        let untrusted = await pullError(name)
        XCTAssertNotNil(untrusted, "a certificate from an unknown CA is refused (and plain HTTP gets no image)")
        let trusting = try RegistryConfig.parse("configs:\n  \"\(registry.host)\":\n    tls:\n      ca_file: \(pki)/ca.crt\n")
        // Push over TLS too, with the same configuration.
        let client = RegistryClient(config: trusting, credentialFiles: DockerCredentialFiles(paths: []))
        let manifest = try JSON.decode(OCIIndex.self, try Files.read("\(layout)/index.json"), what: "index").manifests[0]
        let blobs = "\(layout)/blobs/sha256"
        try await client.push(try Files.read("\(blobs)/\(manifest.digest.hex)"), mediaType: OCIMediaType.manifest,
                              to: trusting.pushEndpoint(for: try ImageReference.parse(name)), reference: "1") {
            try Files.read("\(blobs)/\($0.hex)")
        }
        try await client.shutdown()
        let pulled = try await pull(name, config: trusting)
        XCTAssertEqual(pulled.record.manifestDigest, manifest.digest.description)
    }

    // MARK: - Failures leave nothing

    func testCorruptBlobIsRejectedAndNothingIsStored() async throws {
        try await start()
        let name = "\(proxy.host)/test/busybox:1"
        proxy.setFault(.corruptBlobs)
        let error = await pullError(name)
        XCTAssertEqual(error?.kind, .digestMismatch)
        XCTAssertTrue(error?.message.contains("digest mismatch") == true, "\(String(describing: error))")
        XCTAssertEqual(try store.list(), [])
        XCTAssertEqual(try store.content.list(), [], "no corrupt blob is kept")
        XCTAssertEqual(partials(store), [], "wrong bytes are not kept to resume from")
        try assertStoreIsWhole(store)

        proxy.setFault(nil)
        let pulled = try await pull(name)
        XCTAssertEqual(pulled.downloadedBlobs, 3)
        await stopProxy()
    }

    func testRegistryGoneMidPullLeavesNoPartialImageAndARetrySucceeds() async throws {
        try await start()
        let name = "\(proxy.host)/test/busybox:1"
        proxy.setFault(.truncateBlobs(after: 4096))  // the config (663 bytes) arrives, the layers do not
        let error = await pullError(name)
        XCTAssertTrue([.unreachable, .digestMismatch].contains(error?.kind), "\(String(describing: error))")
        XCTAssertEqual(try store.list(), [], "no image without all its layers")
        try assertStoreIsWhole(store)
        XCTAssertLessThanOrEqual(try store.content.list().count, 1, "at most the config, which came whole")
        let layer = try JSON.decode(OCIManifest.self, try Files.read(
            "\(layout)/blobs/sha256/\(try JSON.decode(OCIIndex.self, try Files.read("\(layout)/index.json"), what: "i").manifests[0].digest.hex)"),
            what: "m").layers.max { $0.size < $1.size }!
        XCTAssertTrue(partials(store).contains("\(layer.digest.hex).partial"), "\(partials(store))")
        _ = proxy.takeRequests()

        // The retry asks only for the rest of each broken-off layer.
        proxy.setFault(nil)
        let retry = try await pull(name)
        XCTAssertEqual(retry.record.name, name)
        XCTAssertGreaterThanOrEqual(retry.downloadedBlobs, 2)
        let layerRequests = proxy.takeRequests().filter { $0.contains(layer.digest.description) }
        XCTAssertEqual(layerRequests.count, 1, "\(layerRequests)")
        XCTAssertTrue(layerRequests.first?.contains("(bytes=") == true && layerRequests.first?.contains("(bytes=0-)") == false,
                      "resumed with a Range: \(layerRequests)")
        try assertStoreIsWhole(store)
        XCTAssertEqual(partials(store), [])

        // The registry itself down: refused at once, one line.
        registry.stop()
        let down = await pullError("\(registry.host)/test/busybox:1")
        XCTAssertEqual(down?.kind, .unreachable)
        XCTAssertTrue(down?.message.contains("connection refused") == true, "\(String(describing: down))")
        await stopProxy()
    }

    func testBadInputIsOneClearLine() async throws {
        try await start()
        let unknownImage = await pullError("\(proxy.host)/test/nosuch:1")
        XCTAssertEqual(unknownImage?.kind, .notFound)
        XCTAssertTrue(unknownImage?.message.contains("manifest unknown") == true, "\(String(describing: unknownImage))")
        let unknownTag = await pullError("\(proxy.host)/test/busybox:nosuch")
        XCTAssertEqual(unknownTag?.kind, .notFound)
        XCTAssertTrue(unknownTag?.message.contains("/manifests/nosuch") == true, "\(String(describing: unknownTag))")

        proxy.setFault(.manifest(body: Array(#"{"schemaVersion": 2, "config": "#.utf8), contentType: OCIMediaType.manifest))
        let malformed = await pullError("\(proxy.host)/test/busybox:1")
        XCTAssertEqual(malformed?.kind, .invalidImage)
        proxy.setFault(.manifest(body: Array(#"{"schemaVersion": 2}"#.utf8), contentType: "application/vnd.example.thing.v1+json"))
        let unsupported = await pullError("\(proxy.host)/test/busybox:1")
        XCTAssertEqual(unsupported?.kind, .unsupported)
        XCTAssertTrue(unsupported?.message.contains(#"unsupported media type "application/vnd.example.thing.v1+json""#) == true,
                      "\(String(describing: unsupported))")
        XCTAssertEqual(try store.list(), [])
        await stopProxy()
    }

    // MARK: - Mirrors

    func testMirrorsAreTriedInOrderWithRewrites() async throws {
        try await start()
        let dead = try freeLoopbackPort()
        let config = try RegistryConfig.parse("""
            mirrors:
              registry.example.invalid:
                endpoint:
                  - "http://127.0.0.1:\(dead)"
                  - "http://\(proxy.host)"
                rewrite:
                  "^team/(.*)$": "test/$1"
            """)
        let name = "registry.example.invalid/team/busybox:1"
        let pulled = try await pull(name, config: config)
        XCTAssertEqual(pulled.record.name, name)
        XCTAssertTrue(proxy.takeRequests().contains("GET /v2/test/busybox/manifests/1"))
        await stopProxy()
    }

    // MARK: - GC

    func testLeastRecentlyUsedGCKeepsImagesInUse() async throws {
        try await start()
        let name = "\(proxy.host)/test/busybox:1"
        try await pull(name)
        let builder = try OCILayoutBuilder(directory: "\(sandbox.dir)/second")
        try builder.addLayer { try $0.addFile("only-here", contents: String(repeating: "x", count: 4096)) }
        try builder.finish(config: ImageConfig(cmd: ["sh"]), names: ["second"])
        try await registry.push(layout: "\(sandbox.dir)/second", repository: "test/second", tag: "1")
        let second = try await pull("\(proxy.host)/test/second:1")
        let busybox = try store.find(name).record

        let full = DiskUsage(capacity: 1000, available: 0)
        let removed = try store.collectLeastRecentlyUsed(policy: try ImageGCPolicy(), inUse: [busybox.manifestDigest], usage: full)
        XCTAssertEqual(removed.map(\.name), [second.record.name])
        XCTAssertEqual(try store.list().map(\.name), [name])
        let secondManifest = try ContentDigest(parsing: second.record.manifestDigest)
        XCTAssertFalse(store.content.contains(secondManifest), "its blobs went with it")
        XCTAssertNoThrow(try store.resolve(name))
        let none = try store.collectLeastRecentlyUsed(policy: try ImageGCPolicy(), inUse: [],
                                                      usage: DiskUsage(capacity: 1000, available: 500))
        XCTAssertEqual(none, [], "50% used is under the threshold")
        await stopProxy()
    }
}
