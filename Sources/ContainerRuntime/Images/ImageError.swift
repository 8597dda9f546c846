/// An error from the image store, tar/gzip reading or import: one line that names the
/// reference or file and the cause, e.g. `image "nosuch" not found` or
/// `import /x.tar: manifest.json: missing "Layers"`.
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// No image matches the reference.
        case notFound
        /// A digest prefix or short name matches more than one image.
        case ambiguous
        /// The reference does not parse as an image name or digest.
        case invalidReference
        /// The archive, manifest, config or layer is malformed or inconsistent.
        case invalidImage
        /// Content does not match its digest or size.
        case digestMismatch
        /// A layer entry would be written outside its snapshot.
        case unsafePath
        /// Valid, but not something Swiftlet handles (zstd layers, sparse files …).
        case unsupported
        /// A system call failed.
        case io
        /// The registry refused our credentials, or wanted some and we had none.
        case unauthorized
        /// The registry could not be reached or broke off (connection, TLS, 5xx).
        case unreachable
        /// The registry answered something the distribution API does not allow.
        case protocolError
        /// registries.yaml or a credentials file is malformed.
        case invalidConfig
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// Runs `body`; an error it throws comes out as an `ImageError` whose message starts
    /// with `context: ` (once), keeping the kind of an `ImageError` and `.io` otherwise.
    static func context<T>(_ context: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw wrap(error, context)
        }
    }

    /// `error` as an `ImageError` whose message starts with `context: `.
    static func wrap(_ error: Error, _ context: String) -> ImageError {
        if let error = error as? ImageError {
            if error.message.hasPrefix(context + ": ") || error.message == context { return error }
            return ImageError(error.kind, "\(context): \(error.message)")
        }
        return ImageError(.io, "\(context): \(error)")
    }
}
