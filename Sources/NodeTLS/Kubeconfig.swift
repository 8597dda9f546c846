import Foundation
import LinuxSys

extension NodeCertificates {
    /// An admin kubeconfig for `server` (k3s's shape: cluster, user and context all
    /// `default`), with the CA and the admin's certificate and key inline.
    public func adminKubeconfig(server: String) throws -> String {
        func inline(_ path: String) throws -> String { Data(try Files.read(path)).base64EncodedString() }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: \(try inline(caCertificate))
                server: \(server)
              name: default
            contexts:
            - context:
                cluster: default
                user: default
              name: default
            current-context: default
            preferences: {}
            users:
            - name: default
              user:
                client-certificate-data: \(try inline(adminClient))
                client-key-data: \(try inline(Self.keyPath(adminClient)))

            """
    }
}
