import Crypto
import Foundation
import LinuxSys
import SwiftASN1
import X509

/// The node's certificate authority and what it issues, kept as k3s keeps them under
/// `<root>/tls`: made on first start and reused after, a leaf re-issued when it is
/// within 90 days of expiry or was signed by another CA. Keys are ECDSA P-256, mode 0600.
public struct NodeCertificates: Sendable {
    public let directory: String

    /// The certificates `ensure` keeps in `directory` (for clients: nothing is created).
    public init(directory: String) { self.directory = directory }

    public var caCertificate: String { "\(directory)/ca.crt" }
    var caKey: String { "\(directory)/ca.key" }
    /// The kubelet's serving certificate (and key: `.key`).
    public var kubeletServing: String { "\(directory)/serving-kubelet.crt" }
    /// The API server's serving certificate (and key).
    public var apiServerServing: String { "\(directory)/serving-kube-apiserver.crt" }
    /// An administrator's client certificate (CN system:admin, O system:masters).
    public var adminClient: String { "\(directory)/client-admin.crt" }

    /// The key beside a certificate file.
    public static func keyPath(_ certificate: String) -> String {
        String(certificate.dropLast(".crt".count)) + ".key"
    }

    /// Loads or creates the CA and the node's certificates. The serving certificate
    /// names `nodeName`, localhost and the loopback addresses, plus `addresses`.
    public static func ensure(directory: String, nodeName: String, addresses: [String] = []) throws -> NodeCertificates {
        let certificates = NodeCertificates(directory: directory)
        try Files.createDirectory(directory, mode: 0o700)
        let ca = try certificates.loadOrCreateCA()
        let names = Array(Set([nodeName, "localhost"])).sorted()
        let ips = Array(Set(["127.0.0.1", "::1"] + addresses)).sorted()
        try certificates.ensureLeaf(certificates.kubeletServing, ca: ca, subject: DistinguishedName { CommonName(nodeName) },
                                    usage: .serverAuth, dnsNames: names, ipAddresses: ips)
        let serviceNames = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"]
        try certificates.ensureLeaf(certificates.apiServerServing, ca: ca, subject: DistinguishedName { CommonName("kube-apiserver") },
                                    usage: .serverAuth, dnsNames: Array(Set(names + serviceNames)).sorted(), ipAddresses: ips)
        try certificates.ensureLeaf(certificates.adminClient, ca: ca,
                                    subject: DistinguishedName { OrganizationName("system:masters"); CommonName("system:admin") },
                                    usage: .clientAuth, dnsNames: [], ipAddresses: [])
        return certificates
    }

    private typealias Authority = (certificate: Certificate, key: Certificate.PrivateKey)

    private func loadOrCreateCA() throws -> Authority {
        if Files.exists(caCertificate), Files.exists(caKey) {
            return (try Certificate(pemEncoded: try Files.readString(caCertificate)),
                    try Certificate.PrivateKey(pemEncoded: try Files.readString(caKey)))
        }
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let now = Date()
        let name = try DistinguishedName { CommonName("swiftlet-ca@\(Int(now.timeIntervalSince1970))") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key)
        // The key first: a certificate without its key would be loaded and be useless.
        try Files.writeAtomically(caKey, try key.serializeAsPEM().pemString + "\n", mode: 0o600)
        try Files.writeAtomically(caCertificate, try certificate.serializeAsPEM().pemString + "\n")
        return (certificate, key)
    }

    private enum Usage { case serverAuth, clientAuth }

    private func ensureLeaf(_ path: String, ca: Authority, subject: @autoclosure () throws -> DistinguishedName, usage: Usage,
                            dnsNames: [String], ipAddresses: [String]) throws {
        let keyPath = Self.keyPath(path)
        if let pem = try? Files.readString(path), Files.exists(keyPath), let existing = try? Certificate(pemEncoded: pem),
           existing.issuer == ca.certificate.subject, existing.notValidAfter > Date().addingTimeInterval(90 * 86400),
           (try? existing.extensions.subjectAlternativeNames).flatMap({ $0 }).map({ Array($0) })
               == (dnsNames.isEmpty && ipAddresses.isEmpty ? nil : try Self.alternativeNames(dnsNames, ipAddresses)) {
            return
        }
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let now = Date()
        let names = try Self.alternativeNames(dnsNames, ipAddresses)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: ca.certificate.subject, subject: try subject(), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([usage == .serverAuth ? .serverAuth : .clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: try ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
                if !names.isEmpty { SubjectAlternativeNames(names) }
            },
            issuerPrivateKey: ca.key)
        try Files.writeAtomically(keyPath, try key.serializeAsPEM().pemString + "\n", mode: 0o600)
        try Files.writeAtomically(path, try certificate.serializeAsPEM().pemString + "\n")
    }

    private static func alternativeNames(_ dnsNames: [String], _ ipAddresses: [String]) throws -> [GeneralName] {
        try dnsNames.map { GeneralName.dnsName($0) } + ipAddresses.map { address in
            guard let bytes = IPAddressBytes.parse(address) else { throw CertificateError("not an IP address: \(address)") }
            return GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
        }
    }
}

public struct CertificateError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// An IPv4 or IPv6 address in network byte order, as inet_pton parses it.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
