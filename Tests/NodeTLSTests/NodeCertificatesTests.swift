import Foundation
import NodeTLS
import X509
import XCTest

final class NodeCertificatesTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "tls-\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func certificate(_ path: String) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8))
    }

    private func mode(_ path: String) -> mode_t {
        var st = stat()
        stat(path, &st)
        return st.st_mode & 0o777
    }

    func testFirstStartMakesACAAndLeavesItSignedWithPrivateKeys() throws {
        let made = try NodeCertificates.ensure(directory: directory, nodeName: "node1", addresses: ["192.0.2.7"])
        let ca = try certificate(made.caCertificate)
        XCTAssertEqual(try ca.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: nil))
        let serving = try certificate(made.kubeletServing)
        XCTAssertEqual(serving.issuer, ca.subject)
        XCTAssertTrue(try ca.publicKey.isValidSignature(serving.signature, for: serving))
        XCTAssertEqual(try serving.extensions.extendedKeyUsage.map(Array.init), [.serverAuth])
        let names = try XCTUnwrap(try serving.extensions.subjectAlternativeNames).map { "\($0)" }
        XCTAssertTrue(names.contains { $0.contains("node1") } && names.contains { $0.contains("localhost") }, "\(names)")
        XCTAssertEqual(names.count, 5, "node1, localhost, 127.0.0.1, ::1, 192.0.2.7: \(names)")
        let admin = try certificate(made.adminClient)
        XCTAssertEqual("\(admin.subject)", "CN=system:admin,O=system:masters")
        XCTAssertEqual(try admin.extensions.extendedKeyUsage.map(Array.init), [.clientAuth])
        XCTAssertTrue(try ca.publicKey.isValidSignature(admin.signature, for: admin))
        for key in ["ca.key", "serving-kubelet.key", "client-admin.key"] { XCTAssertEqual(mode("\(directory)/\(key)"), 0o600, key) }
        XCTAssertEqual(mode(directory), 0o700)
    }

    /// A restart keeps everything; new addresses re-issue only the serving certificate.
    func testLaterStartsReuseAndReissueOnlyWhatChanged() throws {
        let made = try NodeCertificates.ensure(directory: directory, nodeName: "node1")
        let files = [made.caCertificate, made.kubeletServing, made.adminClient]
        let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        _ = try NodeCertificates.ensure(directory: directory, nodeName: "node1")
        XCTAssertEqual(try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }, before)
        _ = try NodeCertificates.ensure(directory: directory, nodeName: "node1", addresses: ["192.0.2.8"])
        let after = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        XCTAssertEqual(after[0], before[0], "the CA changed")
        XCTAssertNotEqual(after[1], before[1], "the serving certificate does not name the new address")
        XCTAssertEqual(after[2], before[2], "the admin certificate changed")
    }
}
