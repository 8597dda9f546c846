// swift-tools-version:6.0
import PackageDescription

// Module layout and dependency direction: see DESIGN.md. Arrows point down only:
// swiftlet → ContainerRuntime → Netlink → LinuxSys → CLinux, CSeccomp, CCap.
let package = Package(
    name: "swiftlet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swiftlet", targets: ["swiftlet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // C: syscalls Swift cannot call well, and the kernel headers later modules need.
        .target(name: "CLinux"),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CCap", pkgConfig: "libcap", providers: [.apt(["libcap-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Sources/swiftlet-shim, the parent of one container (the conmon role), is a
        // static C program built with the system C compiler by Packaging/dev/build:
        // SwiftPM links every executable against the Swift runtime, and the shim must
        // stay small, static, and free of any runtime between fork and exec.

        .target(name: "LinuxSys", dependencies: ["CLinux", "CSeccomp", "CCap"]),
        .target(name: "Netlink", dependencies: ["LinuxSys", "CLinux"]),
        .target(
            name: "ContainerRuntime",
            dependencies: [
                "LinuxSys", "Netlink", "CZlib", "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(name: "swiftlet", dependencies: ["APIServer", "ContainerRuntime", "Controllers", "KubeAPI", "KubeClient", "Kubelet", "KubeStore", "LinuxSys", "Netlink", "NodeTLS"]),

        .testTarget(name: "LinuxSysTests", dependencies: ["LinuxSys"]),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "LinuxSys"]),
        .testTarget(name: "ContainerRuntimeTests", dependencies: ["ContainerRuntime", "CZstd"],
                    resources: [.copy("Golden")]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "ContainerRuntime", "KubeAPI", "Kubelet", "LinuxSys", "Netlink", "NodeTLS",
            // The registry tests play token server and faulty proxy themselves.
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "swiftlet-bench", dependencies: ["ContainerRuntime", "LinuxSys"], path: "Benchmarks/InProcess"),
        .executableTarget(name: "swiftlet-store-bench", dependencies: [
            "KubeStore", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Benchmarks/Store"),
        .target(name: "KubeAPI", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "APIServer", dependencies: [
            "KubeAPI", "KubeStore", "Netlink",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .target(name: "KubeClient", dependencies: [
            "KubeAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Controllers", dependencies: ["KubeAPI", "KubeClient"]),
        .target(name: "NodeTLS", dependencies: [
            "LinuxSys",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Kubelet", dependencies: [
            "KubeAPI", "ContainerRuntime", "LinuxSys", "Netlink", "NodeTLS",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "KubeletTests", dependencies: ["Kubelet", "KubeAPI", "ContainerRuntime", "LinuxSys", "NodeTLS"]),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], resources: [.copy("Fixtures")]),
        .target(name: "KubeStore", dependencies: ["LinuxSys", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KubeStoreTests", dependencies: ["KubeStore"]),
        .testTarget(name: "APIServerTests", dependencies: ["APIServer", "KubeAPI", "KubeStore"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeAPI"]),
        .testTarget(name: "NodeTLSTests", dependencies: ["NodeTLS", .product(name: "X509", package: "swift-certificates")]),
    ],
    swiftLanguageModes: [.v6]
)
