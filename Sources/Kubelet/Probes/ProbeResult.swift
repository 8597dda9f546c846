/// What one run of a prober found. Upstream's probe.Result plus the output or error text
/// that ends up in the container's `Unhealthy` event.
public enum ProbeResult: Equatable, Sendable {
    case success
    /// Success, with something worth telling the user (a redirect to another host was not
    /// followed): upstream's probe.Warning, which counts as success.
    case warning(String)
    case failure(String)
    /// The prober could not run the check at all (a named port that no container port has):
    /// upstream's prober error, whose result the worker throws away.
    case unknown(String)

    /// Whether the result counts as a success for thresholds; nil for `unknown`.
    public var isSuccess: Bool? {
        switch self {
        case .success, .warning: true
        case .failure: false
        case .unknown: nil
        }
    }

    public var message: String {
        switch self {
        case .success: ""
        case .warning(let text), .failure(let text), .unknown(let text): text
        }
    }
}

/// The three probes a container can have; they differ in start value, thresholds and in
/// what a failure does.
public enum ProbeKind: String, Sendable, CaseIterable {
    case liveness = "Liveness"
    case readiness = "Readiness"
    case startup = "Startup"
}
