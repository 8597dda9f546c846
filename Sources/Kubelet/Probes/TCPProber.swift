import KubeAPI

/// A tcpSocket probe: success if a connection opens within the timeout (upstream DoTCPProbe).
public enum TCPProber {
    public static func probe(host: String, port: Int, timeout: Duration) -> ProbeResult {
        do {
            _ = try ProbeSocket.connect(host: host, port: port, deadline: .now + timeout)
            return .success
        } catch {
            switch error {
            case .dial(let text), .dialTimeout(let text): return .failure(text)
            case .timeout, .io: return .failure("\(error)")
            }
        }
    }
}

/// Upstream ResolveContainerPort: a number is the port; a name is looked up among the
/// container's ports, and failing that read as a number written as a string.
public func resolveContainerPort(_ port: IntOrString, in ports: [ContainerPort]?) -> Result<Int, ProbePortError> {
    let number: Int
    switch port {
    case .int(let value):
        number = Int(value)
    case .string(let name):
        if let named = ports?.first(where: { $0.name == name }) {
            number = Int(named.containerPort)
        } else if let value = Int(name) {
            number = value
        } else {
            // Upstream's text, from its last-ditch strconv.Atoi.
            return .failure(ProbePortError(description: "strconv.Atoi: parsing \"\(name)\": invalid syntax"))
        }
    }
    guard number > 0, number < 65536 else { return .failure(ProbePortError(description: "invalid port number: \(number)")) }
    return .success(number)
}

public struct ProbePortError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}
