import Glibc
import LinuxSys
import Synchronization

/// Shows a pull as it goes. On a terminal: one line per blob (bytes received, total,
/// state) and a total line with the speed, redrawn in place at most ten times a second.
/// Elsewhere (a log, a pipe): one plain line per finished blob and a summary.
public final class PullProgress: Sendable {
    private struct Blob {
        var digest: ContentDigest
        var kind: String
        var total: Int64
        var received: Int64 = 0
        var state = "waiting"
    }

    private struct State {
        var blobs: [Blob] = []
        var drawnLines = 0
        var lastDraw: ContinuousClock.Instant?
        var started = ContinuousClock.now
    }

    private let fd: Int32
    private let terminal: Bool
    private let state = Mutex(State())

    /// Writes to `fd`; `terminal` nil means "if `fd` is a terminal".
    public init(fd: Int32 = 1, terminal: Bool? = nil) {
        self.fd = fd
        self.terminal = terminal ?? (isatty(fd) == 1)
    }

    public func handle(_ event: PullEvent) {
        state.withLock { state in
            switch event {
            case let .resolved(manifest, blobs):
                state.blobs = blobs.enumerated().map { i, d in Blob(digest: d.digest, kind: i == 0 ? "config" : "layer", total: d.size) }
                state.started = .now
                if !terminal {
                    let size = ImageCommand.formatSize(blobs.reduce(0) { $0 + $1.size })
                    TextOutput.line("manifest \(manifest.shortHex): \(blobs.count - 1) layer(s), \(size)", fd: fd)
                }
            case let .downloading(digest, received, _):
                update(&state, digest) {
                    $0.received = received
                    $0.state = "downloading"
                }
            case let .stored(digest, downloaded):
                update(&state, digest) {
                    $0.received = $0.total
                    $0.state = downloaded ? "downloaded" : "already here"
                }
                if !terminal, let blob = state.blobs.first(where: { $0.digest == digest }) {
                    TextOutput.line("\(blob.kind) \(digest.shortHex): \(blob.state) \(ImageCommand.formatSize(blob.total))", fd: fd)
                }
            case let .unpacked(digest):
                update(&state, digest) { $0.state = "unpacked" }
            }
            if terminal { draw(&state, force: false) }
        }
    }

    /// The last frame (on a terminal) and the summary line.
    public func finish(_ result: PullResult) {
        state.withLock { state in
            if terminal { draw(&state, force: true) }
            let seconds = PullProgress.seconds(ContinuousClock.now - state.started)
            var line = "pulled \(result.record.displayName) (\(result.record.manifestDigest))"
            if result.downloadedBlobs == 0 {
                line += ": everything was here"
            } else {
                line += ": \(result.downloadedBlobs) blob(s), \(ImageCommand.formatSize(result.downloadedBytes)) in "
                    + "\(PullProgress.format(seconds)) (\(PullProgress.rate(result.downloadedBytes, seconds)))"
            }
            TextOutput.line(line, fd: fd)
        }
    }

    private func update(_ state: inout State, _ digest: ContentDigest, _ change: (inout Blob) -> Void) {
        guard let i = state.blobs.firstIndex(where: { $0.digest == digest }) else { return }
        change(&state.blobs[i])
    }

    private func draw(_ state: inout State, force: Bool) {
        let now = ContinuousClock.now
        if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return }
        state.lastDraw = now
        var out = state.drawnLines > 0 ? "\u{1B}[\(state.drawnLines)A" : ""
        for blob in state.blobs {
            out += "\u{1B}[2K\(blob.kind) \(blob.digest.shortHex): \(blob.state) "
                + "\(ImageCommand.formatSize(blob.received)) / \(ImageCommand.formatSize(blob.total))\n"
        }
        let received = state.blobs.reduce(0) { $0 + $1.received }
        let total = state.blobs.reduce(0) { $0 + $1.total }
        let seconds = PullProgress.seconds(now - state.started)
        out += "\u{1B}[2Ktotal: \(ImageCommand.formatSize(received)) / \(ImageCommand.formatSize(total)), "
            + "\(PullProgress.rate(received, seconds))\n"
        state.drawnLines = state.blobs.count + 1
        TextOutput.write(out, fd: fd)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func rate(_ bytes: Int64, _ seconds: Double) -> String {
        guard seconds > 0.001 else { return "-" }
        return ImageCommand.formatSize(Int64(Double(bytes) / seconds)) + "/s"
    }

    /// `850 ms`, `12.3 s`
    static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

extension ContentDigest {
    /// The first 12 hex digits, as Docker shows layers.
    var shortHex: String { String(hex.prefix(12)) }
}
