import Foundation
import KubeAPI
import KubeStore
import Netlink

/// Services' cluster IPs from the service network. Each allocated address is a key of
/// its own (`/registry/serviceips/<ip>`), claimed with the store's create-if-absent, so
/// two concurrent creates can never get the same address and nothing needs a lock or a
/// bitmap to repair after a crash. The network's first host address is the `kubernetes`
/// service's, as upstream reserves it.
struct ClusterIPAllocator: Sendable {
    let store: KubeStore
    let network: IPv4Network
    static let prefix = "/registry/serviceips/"

    /// The usable addresses: not the network or broadcast address, and not the first
    /// host unless asked for by name.
    private var dynamicRange: ClosedRange<UInt32> { (network.address.value + 2)...(network.broadcast.value - 1) }

    /// Claims `requested` (a Service's spec.clusterIP), or a free address when it is empty.
    /// nil for a headless service ("None") or an ExternalName one.
    func allocate(_ requested: String?, for owner: String, serviceName: String) async throws -> String? {
        if requested == "None" { return nil }
        if let requested, !requested.isEmpty {
            guard let address = IPv4Address(requested), network.contains(address), address != network.address, address != network.broadcast else {
                throw invalid(serviceName, requested, "failed to allocate IP \(requested): the provided IP (\(requested)) is not in the valid range. The range of valid IPs is \(network)")
            }
            do {
                _ = try await store.create(Self.prefix + requested, value: Data(owner.utf8))
            } catch KubeStoreError.alreadyExists {
                throw invalid(serviceName, requested, "failed to allocate IP \(requested): provided IP is already allocated")
            }
            return requested
        }
        let used = Set(try await store.range(.prefix(Self.prefix)).kvs.map { String($0.key.dropFirst(Self.prefix.count)) })
        let range = dynamicRange
        // A random start, then upward: addresses are spread as upstream's random allocator spreads them.
        let start = UInt32.random(in: range)
        for offset in 0..<UInt32(min(range.count, 1 << 20)) {
            let candidate = IPv4Address(range.lowerBound + (start - range.lowerBound + offset) % UInt32(range.count)).description
            if used.contains(candidate) { continue }
            do {
                _ = try await store.create(Self.prefix + candidate, value: Data(owner.utf8))
                return candidate
            } catch KubeStoreError.alreadyExists {
                continue
            }
        }
        throw APIError(code: 500, reason: "InternalError", message: "Internal error occurred: failed to allocate a serviceIP: range is full")
    }

    func release(_ address: String?) async {
        guard let address, IPv4Address(address) != nil else { return }
        _ = try? await store.delete(Self.prefix + address)
    }

    private func invalid(_ name: String, _ address: String, _ message: String) -> APIError {
        APIError.invalid(kind: "Service", group: "", name, [("spec.clusterIPs", "FieldValueInvalid", "Invalid value: []string{\"\(address)\"}: \(message)")])
    }
}
