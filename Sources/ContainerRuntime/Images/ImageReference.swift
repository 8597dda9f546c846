/// An image name, normalised as Docker does: `busybox` → `docker.io/library/busybox:latest`,
/// `quay.io/x/y` → `quay.io/x/y:latest`, `localhost:5000/a@sha256:…` keeps its digest.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// Registry host (and port): `docker.io`, `localhost:5000`, `swiftlet.local`.
    public let domain: String
    /// Repository path inside the registry: `library/busybox`.
    public let path: String
    public let tag: String?
    public let digest: ContentDigest?

    /// `docker.io/library/busybox`
    public var repository: String { "\(domain)/\(path)" }

    /// The normalised form: `docker.io/library/busybox:latest`.
    public var description: String {
        repository + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }

    /// The short form Docker prints: `busybox:latest` for Docker Hub's library images.
    public var familiar: String {
        var repo = repository
        if domain == "docker.io" {
            repo = path.hasPrefix("library/") && path.split(separator: "/").count == 2 ? String(path.dropFirst(8)) : path
        }
        return repo + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }

    public init(domain: String, path: String, tag: String?, digest: ContentDigest?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// Parses and normalises `string`. A reference with neither tag nor digest gets `:latest`.
    public static func parse(_ string: String) throws -> ImageReference {
        func invalid(_ why: String) -> ImageError {
            ImageError(.invalidReference, "invalid image reference \"\(string)\": \(why)")
        }
        guard !string.isEmpty else { throw invalid("empty") }
        guard string.utf8.count <= 512 else { throw invalid("too long") }
        var rest = Substring(string)
        var digest: ContentDigest?
        if let at = rest.firstIndex(of: "@") {
            do {
                digest = try ContentDigest(parsing: String(rest[rest.index(after: at)...]))
            } catch {
                throw invalid("bad digest")
            }
            rest = rest[..<at]
        }
        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            let t = String(rest[rest.index(after: colon)...])
            guard isValidTag(t) else { throw invalid("bad tag \"\(t)\"") }
            tag = t
            rest = rest[..<colon]
        }
        var domain = "docker.io"
        var path = String(rest)
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                domain = String(first)
                path = String(rest[rest.index(after: slash)...])
            }
        }
        if domain == "index.docker.io" { domain = "docker.io" }
        guard isValidDomain(domain) else { throw invalid("bad registry host \"\(domain)\"") }
        if domain == "docker.io" && !path.contains("/") { path = "library/" + path }
        guard !path.isEmpty else { throw invalid("missing repository name") }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.contains(where: { $0.isUppercase }) { throw invalid("repository name must be lowercase") }
            guard isValidPathComponent(component) else { throw invalid("bad repository name \"\(path)\"") }
        }
        guard domain.utf8.count + 1 + path.utf8.count <= 255 else { throw invalid("name longer than 255 characters") }
        if tag == nil && digest == nil { tag = "latest" }
        return ImageReference(domain: domain, path: path, tag: tag, digest: digest)
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard (1...128).contains(bytes.count), bytes[0] != 0x2e, bytes[0] != 0x2d else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == 0x5f || $0 == 0x2e || $0 == 0x2d }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if isLowerAlnum(b) { i += 1; continue }
            // A separator run: one '.', one or two '_', or any number of '-'.
            var j = i
            while j < bytes.count, !isLowerAlnum(bytes[j]) { j += 1 }
            let run = bytes[i..<j]
            let ok = run.elementsEqual([0x2e]) || run.elementsEqual([0x5f]) || run.elementsEqual([0x5f, 0x5f])
                || run.allSatisfy { $0 == 0x2d }
            if !ok { return false }
            i = j
        }
        return true
    }

    static func isValidDomain(_ domain: String) -> Bool {
        var host = Substring(domain)
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            host = host[..<colon]
        }
        // Labels of letters, digits and inner hyphens, joined by single dots.
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.utf8.first, let last = label.utf8.last, isAlnum(first), isAlnum(last) else { return false }
            return label.utf8.allSatisfy { isAlnum($0) || $0 == 0x2d }
        }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a)
    }
}
