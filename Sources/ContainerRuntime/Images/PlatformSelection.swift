extension OCIPlatform {
    /// `linux/arm64/v8`, `linux/amd64`, `arm64` (os defaults to linux).
    public init(parsing string: String) throws {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw ImageError(.invalidReference, "invalid platform \"\(string)\": expected os/arch[/variant]")
        }
        if parts.count == 1 {
            self.init(architecture: parts[0], os: "linux")
        } else {
            self.init(architecture: parts[1], os: parts[0], variant: parts.count == 3 ? parts[2] : nil)
        }
    }

    /// Whether an image for `candidate` runs here: same os and architecture, and the same
    /// variant when both name one (amd64's v2/v3 levels and a missing variant always do).
    func accepts(_ candidate: OCIPlatform) -> Bool {
        guard candidate.os == os, candidate.architecture == architecture else { return false }
        guard architecture != "amd64", let wanted = variant, let offered = candidate.variant else { return true }
        return wanted == offered
    }

    /// The entry of an index for this platform, as containerd picks it: an exact variant
    /// before an entry without one; attestation and other `unknown` entries never. An
    /// index of one entry without a platform gives that entry.
    func select(from descriptors: [OCIDescriptor]) -> OCIDescriptor? {
        if descriptors.count == 1, descriptors[0].platform == nil { return descriptors[0] }
        let candidates = descriptors.filter { $0.platform.map(accepts) ?? false }
        return candidates.first { $0.platform?.variant == variant } ?? candidates.first
    }

    /// The platforms an index offers, for an error message: `linux/amd64, linux/arm64/v8`.
    static func listed(_ descriptors: [OCIDescriptor]) -> String {
        let names = descriptors.compactMap { $0.platform }.filter { $0.os != "unknown" }.map(\.description)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
