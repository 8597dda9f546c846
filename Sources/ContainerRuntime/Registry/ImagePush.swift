import FoundationEssentials

extension RegistryConfig {
    /// Pushes go to the registry itself, never to a mirror.
    public func pushEndpoint(for reference: ImageReference) -> RegistryEndpoint {
        var endpoint = RegistryEndpoint.defaultEndpoint(for: reference)
        endpoint.hostConfig = hostConfig(for: endpoint.host)
        return endpoint
    }
}

extension RegistryClient {
    /// Pushes a manifest or an index and everything under it, children first, then the
    /// top under `reference` (a tag or its digest). `blob` reads a blob by digest (from
    /// the content store, an OCI layout …). Returns how many blobs were uploaded.
    @discardableResult
    public func push(_ top: [UInt8], mediaType: String, to endpoint: RegistryEndpoint, reference: String,
                     blob: @Sendable (ContentDigest) throws -> [UInt8]) async throws -> Int {
        var uploaded = 0
        if OCIMediaType.isIndex(mediaType) {
            let index = try JSON.decode(OCIIndex.self, top, what: "index")
            for child in index.manifests {
                let bytes = try blob(child.digest)
                uploaded += try await push(bytes, mediaType: child.mediaType ?? OCIMediaType.manifest, to: endpoint,
                                           reference: child.digest.description, blob: blob)
            }
        } else {
            let manifest = try JSON.decode(OCIManifest.self, top, what: "manifest")
            for descriptor in [manifest.config] + manifest.layers {
                if try await pushBlob(endpoint, digest: descriptor.digest, bytes: try blob(descriptor.digest)) {
                    uploaded += 1
                }
            }
        }
        try await pushManifest(endpoint, reference: reference, bytes: top, mediaType: mediaType)
        return uploaded
    }
}
