import Foundation

/// The warnings one request collects on its way (unknown fields under
/// fieldValidation=Warn, say), answered as `Warning` headers. A task-local, so that what
/// decodes deep inside a kind need not pass them back up through every layer.
final class Warnings: @unchecked Sendable {
    @TaskLocal static var current: Warnings?

    private let lock = NSLock()
    private var list: [String] = []

    var messages: [String] { lock.withLock { list } }

    static func add(_ message: String) {
        guard let current else { return }
        current.lock.withLock { if !current.list.contains(message) { current.list.append(message) } }
    }
}
