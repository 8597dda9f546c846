@testable import ContainerRuntime
import Foundation
import LinuxSys
import XCTest

/// The pure parts of pulling: references, platform selection, challenges, registries.yaml,
/// credential files, manifest checks, GC planning.
final class RegistryTests: XCTestCase {
    /// A directory removed when the value goes.
    private final class TemporaryDirectory {
        let path: String
        init() throws {
            var template = Array("/tmp/swiftlet-registry-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp", errno: errno) }
            path = String(cString: made)
        }
        deinit { try? Files.removeTree(path) }
    }

    func testDistributionReferenceGrammar() throws {
        let digest = "sha256:" + String(repeating: "0f", count: 32)
        let cases: [(String, domain: String, path: String, tag: String?)] = [
            ("nginx:1.27", "docker.io", "library/nginx", "1.27"),
            ("index.docker.io/library/nginx", "docker.io", "library/nginx", "latest"),
            ("docker.io/team/app", "docker.io", "team/app", "latest"),
            ("localhost/app", "localhost", "app", "latest"),
            ("localhost:5000/a/b/c:v1", "localhost:5000", "a/b/c", "v1"),
            ("127.0.0.1:5000/team/app:1.4", "127.0.0.1:5000", "team/app", "1.4"),
            ("registry.example.com/team/app:1.4", "registry.example.com", "team/app", "1.4"),
            ("Registry.Example.com/app", "Registry.Example.com", "app", "latest"),  // domains may be upper case
            ("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag"),
            ("a-b.c/x-y__z.w:T_1.0-rc", "a-b.c", "x-y__z.w", "T_1.0-rc"),
            ("foo_bar.com:8080/x", "foo_bar.com:8080", "x", "latest"),
            ("app@\(digest)", "docker.io", "library/app", nil),
        ]
        for (input, domain, path, tag) in cases {
            guard !input.contains("foo_bar") else {
                // An underscore is not valid in a host name.
                XCTAssertThrowsError(try ImageReference.parse(input), input)
                continue
            }
            let ref = try ImageReference.parse(input)
            XCTAssertEqual(ref.domain, domain, input)
            XCTAssertEqual(ref.path, path, input)
            XCTAssertEqual(ref.tag, tag, input)
        }
        XCTAssertEqual(try ImageReference.parse("app@\(digest)").digest?.description, digest)
        for bad in ["app:-tag", "app:.tag", "app:" + String(repeating: "t", count: 129),
                    "app@sha256:short", "registry:port/app", "a..b/c", "a/b..c", "app/"] {
            XCTAssertThrowsError(try ImageReference.parse(bad), bad) { error in
                XCTAssertEqual((error as? ImageError)?.kind, .invalidReference, bad)
            }
        }
    }

    // MARK: Platforms

    private func descriptor(_ platform: String?, _ n: UInt8) -> OCIDescriptor {
        OCIDescriptor(mediaType: OCIMediaType.manifest, digest: ContentDigest.of([n]), size: 1,
                      platform: try! platform.map(OCIPlatform.init(parsing:)))
    }

    func testIndexSelectionPicksThePlatformAsContainerdDoes() throws {
        let amd64 = descriptor("linux/amd64", 1)
        let arm64 = descriptor("linux/arm64/v8", 2)
        let armv7 = descriptor("linux/arm/v7", 3)
        let attestation = descriptor("unknown/unknown", 4)
        let windows = descriptor("windows/amd64", 5)
        let index = [attestation, windows, armv7, arm64, amd64]
        XCTAssertEqual(try OCIPlatform(parsing: "linux/amd64").select(from: index), amd64)
        XCTAssertEqual(try OCIPlatform(parsing: "linux/arm64/v8").select(from: index), arm64)
        XCTAssertEqual(try OCIPlatform(parsing: "linux/arm/v7").select(from: index), armv7)
        XCTAssertNil(try OCIPlatform(parsing: "linux/arm/v6").select(from: index))
        XCTAssertNil(try OCIPlatform(parsing: "linux/s390x").select(from: index))
        XCTAssertEqual(try OCIPlatform(parsing: "windows/amd64").select(from: index), windows)
        // An entry without variant serves a request with one; amd64 levels never exclude.
        XCTAssertEqual(try OCIPlatform(parsing: "linux/arm64/v8").select(from: [descriptor("linux/arm64", 6)]),
                       descriptor("linux/arm64", 6))
        XCTAssertEqual(try OCIPlatform(parsing: "linux/amd64").select(from: [descriptor("linux/amd64/v3", 7)]),
                       descriptor("linux/amd64/v3", 7))
        // Exact variant wins over a bare entry, whatever the order.
        XCTAssertEqual(try OCIPlatform(parsing: "linux/arm/v7").select(from: [descriptor("linux/arm", 8), armv7]), armv7)
        // A single entry without platform is the image.
        XCTAssertEqual(OCIPlatform.host.select(from: [descriptor(nil, 9)]), descriptor(nil, 9))
        XCTAssertEqual(OCIPlatform.listed(index), "windows/amd64, linux/arm/v7, linux/arm64/v8, linux/amd64")
        XCTAssertEqual(try OCIPlatform(parsing: "arm64"), OCIPlatform(architecture: "arm64", os: "linux"))
        for bad in ["", "linux/", "a/b/c/d"] { XCTAssertThrowsError(try OCIPlatform(parsing: bad), bad) }
    }

    // MARK: Auth

    func testChallengeParsing() throws {
        let bearer = try XCTUnwrap(AuthChallenge.parse(
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#))
        XCTAssertEqual(bearer.scheme, .bearer)
        XCTAssertEqual(bearer.realm, "https://auth.docker.io/token")
        XCTAssertEqual(bearer.service, "registry.docker.io")
        XCTAssertEqual(bearer.scope, "repository:library/busybox:pull")
        let spaced = try XCTUnwrap(AuthChallenge.parse(#"bearer realm = "http://x/t" , service=reg, scope="a:b:pull,push""#))
        XCTAssertEqual(spaced.parameters, ["realm": "http://x/t", "service": "reg", "scope": "a:b:pull,push"])
        let basic = try XCTUnwrap(AuthChallenge.parse(#"Basic realm="Registry \"Realm\"""#))
        XCTAssertEqual(basic.scheme, .basic)
        XCTAssertEqual(basic.realm, #"Registry "Realm""#)
        XCTAssertNil(AuthChallenge.parse("Negotiate abc"))
    }

    func testDockerCredentialFiles() throws {
        let dir = try TemporaryDirectory()
        let first = "\(dir.path)/auth.json"
        let second = "\(dir.path)/config.json"
        try Files.writeAtomically(first, #"{"auths":{"127.0.0.1:5000":{"auth":"dTE6cDE="}}}"#)
        try Files.writeAtomically(second, #"""
            {"auths":{"https://index.docker.io/v1/":{"auth":"aHViOnNlY3JldDpjb2xvbg=="},
                      "127.0.0.1:5000":{"username":"shadowed","password":"x"},
                      "id.example.com":{"username":"u","identitytoken":"refresh"},
                      "bad.example.com":{"auth":"!!!"}},
             "credHelpers":{"gcr.io":"gcloud"}}
            """#)
        let files = DockerCredentialFiles(paths: ["\(dir.path)/missing.json", first, second])
        XCTAssertEqual(try files.credentials(for: "127.0.0.1:5000"), RegistryCredentials.basic(username: "u1", password: "p1"))
        XCTAssertEqual(try files.credentials(for: "registry-1.docker.io"), RegistryCredentials.basic(username: "hub", password: "secret:colon"))
        XCTAssertEqual(try files.credentials(for: "id.example.com"), RegistryCredentials.identityToken(username: "u", token: "refresh"))
        XCTAssertNil(try files.credentials(for: "other.example.com"))
        XCTAssertThrowsError(try files.credentials(for: "bad.example.com")) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .invalidConfig)
            XCTAssertTrue("\(error)".contains("bad.example.com"), "\(error)")
        }
        XCTAssertEqual(RegistryCredentials.basic(username: "a", password: "b").basicHeader, "Basic YTpi")
    }

    // MARK: registries.yaml

    func testRegistriesYamlInK3sSchema() throws {
        let config = try RegistryConfig.parse("""
            mirrors:
              docker.io:
                endpoint:
                  - "https://mirror.example.com:5000"
                  - "http://10.0.0.1:5000/prefix/"
                rewrite:
                  "^library/(.*)": "dockerhub/$1"
              "*":
                endpoint: ["https://cache.example.com/v2"]
            configs:
              "mirror.example.com:5000":
                auth:
                  username: user
                  password: pass
                tls:
                  ca_file: /etc/ssl/mirror.pem
                  insecure_skip_verify: false
              docker.io:
                auth:
                  auth: dTpw
            """)
        let hub = try config.endpoints(for: try ImageReference.parse("busybox:1.36"))
        XCTAssertEqual(hub.map(\.baseURL), ["https://mirror.example.com:5000/v2", "http://10.0.0.1:5000/prefix/v2",
                                            "https://registry-1.docker.io/v2"])
        XCTAssertEqual(hub.map(\.repository), ["dockerhub/busybox", "dockerhub/busybox", "library/busybox"])
        XCTAssertEqual(hub.map(\.isMirror), [true, true, false])
        XCTAssertEqual(hub[0].hostConfig.auth?.username, "user")
        XCTAssertEqual(hub[0].hostConfig.tls?.caFile, "/etc/ssl/mirror.pem")
        XCTAssertNil(hub[1].hostConfig.auth)
        XCTAssertEqual(hub[2].hostConfig.auth?.auth, "dTpw", "docker.io's config serves its default endpoint")

        let other = try config.endpoints(for: try ImageReference.parse("quay.io/team/app:1"))
        XCTAssertEqual(other.map(\.baseURL), ["https://cache.example.com/v2", "https://quay.io/v2"])
        XCTAssertEqual(other.map(\.repository), ["team/app", "team/app"])

        XCTAssertEqual(try RegistryConfig.parse("").endpoints(for: try ImageReference.parse("127.0.0.1:5000/x")).map(\.baseURL),
                       ["https://127.0.0.1:5000/v2"])
        XCTAssertEqual(try RegistryConfig.rewrite("a/b", with: ["^(a)/(b)$": "$2/$1/$9$"]), "b/a/$9$")
        XCTAssertEqual(try RegistryConfig.rewrite("x/y", with: ["^a/": "b/"]), "x/y")
    }

    func testRegistriesYamlErrorsNameTheProblem() throws {
        for (yaml, expected) in [
            ("mirrors: [1, 2]", "mirrors"),
            ("mirrors:\n  docker.io:\n    endpoint: [\"ftp://x\"]", "scheme must be http or https"),
            ("mirrors:\n  docker.io:\n    endpoint: [\"https://bad host\"]", "bad host"),
            ("mirrors:\n  docker.io:\n    rewrite: {\"(\": \"x\"}", "bad pattern"),
            ("configs:\n  x:\n    tls:\n      insecure_skip_verify: maybe", "insecure_skip_verify"),
        ] {
            XCTAssertThrowsError(try RegistryConfig.parse(yaml), yaml) { error in
                XCTAssertEqual((error as? ImageError)?.kind, .invalidConfig, yaml)
                XCTAssertTrue("\(error)".contains(expected), "\(yaml) → \(error)")
            }
        }
        let dir = try TemporaryDirectory()
        XCTAssertEqual(try RegistryConfig.load("\(dir.path)/none.yaml"), RegistryConfig())
        try Files.writeAtomically("\(dir.path)/r.yaml", "configs: 7")
        XCTAssertThrowsError(try RegistryConfig.load("\(dir.path)/r.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(dir.path)/r.yaml: "), "\(error)")
        }
    }

    func testLoopbackAndFallbackRules() throws {
        func endpoint(_ host: String, insecure: Bool? = nil) throws -> RegistryEndpoint {
            var e = try RegistryEndpoint(url: "https://\(host)", registry: host)
            e.hostConfig = RegistryConfig.HostConfig(tls: RegistryConfig.TLS(insecureSkipVerify: insecure))
            return e
        }
        XCTAssertTrue(try endpoint("localhost:5000").mayFallBackToHTTP)
        XCTAssertTrue(try endpoint("127.0.0.1:5000").mayFallBackToHTTP)
        XCTAssertTrue(try endpoint("127.1.2.3").mayFallBackToHTTP)
        XCTAssertTrue(try endpoint("[::1]:5000").mayFallBackToHTTP)
        XCTAssertFalse(try endpoint("10.0.0.1:5000").mayFallBackToHTTP)
        XCTAssertFalse(try endpoint("127.example.com").mayFallBackToHTTP)
        XCTAssertTrue(try endpoint("10.0.0.1:5000", insecure: true).mayFallBackToHTTP)
    }

    // MARK: Manifests

    func testManifestChecksRefuseWhatCannotRun() throws {
        let digest = ContentDigest.of([1])
        func manifest(config: String = OCIMediaType.config, layer: String = OCIMediaType.layerGzip,
                      schema: Int = 2) -> [UInt8] {
            Array("""
                {"schemaVersion":\(schema),"config":{"mediaType":"\(config)","digest":"\(digest)","size":2},
                 "layers":[{"mediaType":"\(layer)","digest":"\(digest)","size":3}]}
                """.utf8)
        }
        XCTAssertEqual(try ImagePuller.checkManifest(manifest(), mediaType: OCIMediaType.manifest, digest: digest).layers.count, 1)
        XCTAssertNoThrow(try ImagePuller.checkManifest(manifest(layer: OCIMediaType.layerZstd), mediaType: OCIMediaType.manifest,
                                                       digest: digest))
        XCTAssertNoThrow(try ImagePuller.checkManifest(manifest(config: OCIMediaType.dockerConfig, layer: OCIMediaType.dockerLayerGzip),
                                                       mediaType: OCIMediaType.dockerManifest, digest: digest))
        let refused: [([UInt8], String, ImageError.Kind, String)] = [
            (manifest(), "application/vnd.docker.distribution.manifest.v1+prettyjws", .unsupported, "schema 1"),
            (manifest(), "application/vnd.example+json", .unsupported, #"unsupported media type "application/vnd.example+json""#),
            (manifest(config: "application/vnd.cncf.helm.config.v1+json"), OCIMediaType.manifest, .unsupported, "not a container image"),
            (manifest(layer: "application/x-tar"), OCIMediaType.manifest, .unsupported, #""application/x-tar""#),
            (manifest(schema: 1), OCIMediaType.manifest, .invalidImage, "schemaVersion 1"),
            (Array(#"{"schemaVersion":2,"layers":[]}"#.utf8), OCIMediaType.manifest, .invalidImage, "config"),
            (Array("<html>".utf8), OCIMediaType.manifest, .invalidImage, "manifest"),
        ]
        for (bytes, type, kind, text) in refused {
            XCTAssertThrowsError(try ImagePuller.checkManifest(bytes, mediaType: type, digest: digest), text) { error in
                XCTAssertEqual((error as? ImageError)?.kind, kind, "\(error)")
                XCTAssertTrue("\(error)".contains(text), "\(error) lacks \(text)")
                XCTAssertTrue("\(error)".hasPrefix("manifest \(digest)"), "\(error)")
            }
        }
        XCTAssertEqual(RegistryClient.registryErrorMessage(Array(
            #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}"#.utf8)),
            "manifest unknown")
        XCTAssertEqual(RegistryClient.registryErrorMessage(Array(#"{"errors":[{"code":"DENIED"}]}"#.utf8)), "denied")
        XCTAssertNil(RegistryClient.registryErrorMessage(Array("404 page not found".utf8)))
        XCTAssertEqual(RegistryClient.formEncode([("scope", "repository:a/b:pull,push"), ("x", "é ")]),
                       "scope=repository%3Aa%2Fb%3Apull%2Cpush&x=%C3%A9%20")
    }

    // MARK: GC

    func testGCPlanFreesLeastRecentlyUsedUnusedImagesDownToTheLowThreshold() throws {
        func record(_ name: String?, _ digest: UInt8, size: Int64, used: String?) -> ImageRecord {
            ImageRecord(name: name, manifestDigest: ContentDigest.of([digest]).description, configDigest: "sha256:c",
                        size: size, created: "2026-01-01T00:00:00Z", lastUsed: used)
        }
        let old = record("a:1", 1, size: 30, used: "2026-02-01T00:00:00Z")
        let oldAlias = record("a:latest", 1, size: 30, used: nil)
        let middle = record("b:1", 2, size: 30, used: "2026-03-01T00:00:00Z")
        let recent = record("c:1", 3, size: 30, used: "2026-04-01T00:00:00Z")
        let running = record("d:1", 4, size: 500, used: "2025-01-01T00:00:00Z")
        let images = [recent, middle, running, old, oldAlias]
        let policy = try ImageGCPolicy()
        // 1000 bytes, 140 free: 86% used ≥ 85 → free down to 80% (200 free): 60 bytes.
        let plan = ImageGC.plan(images: images, inUse: [running.manifestDigest],
                                usage: DiskUsage(capacity: 1000, available: 140), policy: policy)
        XCTAssertEqual(plan.map(\.name), ["a:1", "a:latest", "b:1"], "oldest first, names together, never in use")
        XCTAssertEqual(ImageGC.plan(images: images, inUse: [], usage: DiskUsage(capacity: 1000, available: 160),
                                    policy: policy), [], "84% is under the high threshold")
        XCTAssertEqual(DiskUsage(capacity: 1000, available: 160).usedPercent, 84)
        XCTAssertEqual(DiskUsage(capacity: 1000, available: 151).usedPercent, 85, "rounded as the kubelet rounds")
        let everything = ImageGC.plan(images: images, inUse: [running.manifestDigest],
                                      usage: DiskUsage(capacity: 1000, available: 0), policy: policy)
        XCTAssertEqual(everything.count, 4, "frees all it may, never the image in use")
        XCTAssertThrowsError(try ImageGCPolicy(highPercent: 70, lowPercent: 80))
        XCTAssertThrowsError(try ImageGCPolicy(highPercent: 101, lowPercent: 80))
    }
}
