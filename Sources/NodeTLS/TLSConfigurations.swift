import NIOSSL

extension NodeCertificates {
    /// A server's TLS (1.2 and up) with `certificate` (and its key beside it). Clients
    /// may present a certificate, which must then be one the node's CA signed; whether
    /// a request without one is served is the server's decision per path.
    public func serverConfiguration(certificate: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: Self.keyPath(certificate), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .optionalVerification
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertificate))
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }

    /// A client's TLS trusting only the node's CA, presenting `certificate` (and its key)
    /// when given.
    public func clientConfiguration(certificate: String?) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertificate))
        if let certificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: Self.keyPath(certificate), format: .pem))
        }
        return configuration
    }
}
