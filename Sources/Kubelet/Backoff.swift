/// The kubelet's restart back-off (client-go's flowcontrol.Backoff as the kubelet uses
/// it): no wait before the first restart, then 10 s doubling up to 300 s; a key whose
/// last failure is more than twice the maximum ago starts over. Pure: times are passed in.
public struct Backoff: Sendable, Equatable {
    public var initial: Double = 10
    public var maximum: Double = 300
    private var entries: [String: (delay: Double, lastUpdate: Double)] = [:]

    public init(initial: Double = 10, maximum: Double = 300) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The current delay for `key`, 0 when it has none.
    public func delay(_ key: String) -> Double { entries[key]?.delay ?? 0 }

    /// Whether a restart after a failure at `eventTime` must still wait at `now`.
    public func isInBackoff(_ key: String, since eventTime: Double, now: Double) -> Bool {
        guard let entry = entries[key] else { return false }
        return now - eventTime < entry.delay
    }

    /// Records a restart after a failure at `eventTime`: the next wait doubles.
    public mutating func next(_ key: String, eventTime: Double) {
        if let entry = entries[key], eventTime - entry.lastUpdate <= 2 * maximum {
            entries[key] = (min(entry.delay * 2, maximum), eventTime)
        } else {
            entries[key] = (initial, eventTime)
        }
    }

    public mutating func forget(prefix: String) {
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
    }

    public static func == (a: Backoff, b: Backoff) -> Bool {
        a.initial == b.initial && a.maximum == b.maximum
            && a.entries.mapValues { [$0.delay, $0.lastUpdate] } == b.entries.mapValues { [$0.delay, $0.lastUpdate] }
    }
}
