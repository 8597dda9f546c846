/// The CRI container log format the shim writes and `kubectl logs` expects:
/// `2026-01-02T03:04:05.123456789Z stdout F text` per record; `P` marks a partial line
/// continued by the next record of the same stream.
public enum CRILog {
    public enum Stream: String, Sendable { case stdout, stderr }

    public struct Entry: Sendable, Equatable {
        public var timestamp: String
        public var stream: Stream
        /// The line, with its newline (partials joined).
        public var text: String
    }

    public static func parse(_ bytes: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        var pending: [Stream: (String, [UInt8])] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, let stream = Stream(rawValue: String(decoding: fields[1], as: UTF8.self)) else { continue }
            let timestamp = String(decoding: fields[0], as: UTF8.self)
            let content = fields.count == 4 ? Array(fields[3]) : []
            var (start, text) = pending.removeValue(forKey: stream) ?? (timestamp, [])
            text += content
            if fields[2].elementsEqual("P".utf8) {
                pending[stream] = (start, text)
            } else {
                start = start.isEmpty ? timestamp : start
                entries.append(Entry(timestamp: start, stream: stream, text: String(decoding: text + [10], as: UTF8.self)))
            }
        }
        for (stream, (start, text)) in pending {
            entries.append(Entry(timestamp: start, stream: stream, text: String(decoding: text, as: UTF8.self)))
        }
        return entries
    }
}
