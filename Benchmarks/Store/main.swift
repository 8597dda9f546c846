import AsyncHTTPClient
import Foundation
import KubeStore
import NIOCore

/// swiftlet-store-bench: KubeStore against etcd, as the API server uses each — our store
/// in process (it is embedded in `swiftlet server`), etcd over loopback through its v3
/// JSON gateway (kube-apiserver talks to etcd over loopback too). Both write to the same
/// disk and acknowledge a write only once it is fsynced.
///
///     swiftlet-store-bench --store DIR --etcd URL [--sequential N] [--concurrent N]
///                          [--workers W] [--watchers N] [--events N] [--value-bytes B]
///
/// Prints one line per measurement, parsed by Benchmarks/store:
///     `<store|etcd> <sequential|concurrent> ops_per_s=… p50_ms=… p99_ms=…`
///     `<store|etcd> watch watchers=N events=M seconds=… deliveries_per_s=…`
struct Options {
    var store = ""
    var etcd = ""
    var sequential = 2000
    var concurrent = 20000
    var workers = 100
    var watchers = 100
    var events = 1000
    var valueBytes = 1024
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let arg = args.next() {
        guard let value = args.next() else { fatalError("\(arg) needs a value") }
        switch arg {
        case "--store": options.store = value
        case "--etcd": options.etcd = value
        case "--sequential": options.sequential = Int(value)!
        case "--concurrent": options.concurrent = Int(value)!
        case "--workers": options.workers = Int(value)!
        case "--watchers": options.watchers = Int(value)!
        case "--events": options.events = Int(value)!
        case "--value-bytes": options.valueBytes = Int(value)!
        default: fatalError("unknown option \(arg)")
        }
    }
    guard !options.store.isEmpty, !options.etcd.isEmpty else { fatalError("--store DIR and --etcd URL are required") }
    return options
}

/// What a write and a watch are, for either store.
protocol Target: Sendable {
    var name: String { get }
    func put(_ key: String, _ value: Data) async throws
    /// Starts a watch of `prefix`; returns once it is established, with a task that ends
    /// when `count` events have arrived.
    func watch(prefix: String, count: Int) async throws -> Task<Void, any Error>
}

struct Embedded: Target {
    let store: KubeStore
    var name: String { "store" }

    func put(_ key: String, _ value: Data) async throws { _ = try await store.put(key, value: value) }

    func watch(prefix: String, count: Int) async throws -> Task<Void, any Error> {
        let stream = try await store.watch(.prefix(prefix))
        return Task {
            var seen = 0
            for try await batch in stream {
                seen += batch.count
                if seen >= count { break }
            }
            stream.cancel()
        }
    }
}

struct Etcd: Target {
    let client: HTTPClient
    let url: String
    var name: String { "etcd" }

    func put(_ key: String, _ value: Data) async throws {
        var request = HTTPClientRequest(url: url + "/v3/kv/put")
        request.method = .POST
        let body = #"{"key":"\#(Data(key.utf8).base64EncodedString())","value":"\#(value.base64EncodedString())"}"#
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status == .ok else { throw BenchError("etcd put: \(response.status) \(text)") }
    }

    func watch(prefix: String, count: Int) async throws -> Task<Void, any Error> {
        var request = HTTPClientRequest(url: url + "/v3/watch")
        request.method = .POST
        var end = Array(prefix.utf8)
        end[end.count - 1] += 1
        let body = #"{"create_request":{"key":"\#(Data(prefix.utf8).base64EncodedString())","range_end":"\#(Data(end).base64EncodedString())"}}"#
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(600))
        guard response.status == .ok else { throw BenchError("etcd watch: \(response.status)") }
        var iterator = response.body.makeAsyncIterator()
        // The gateway's first message confirms the watch ("created": true).
        var pending = ""
        while !pending.contains("\"created\":true") {
            guard let chunk = try await iterator.next() else { throw BenchError("etcd watch ended before it was created") }
            pending += String(buffer: chunk)
        }
        pending = ""
        let start = iterator
        return Task {
            var iterator = start
            var seen = 0
            // Each event carries one "kv" object; a marker split across chunks is kept for the next.
            while seen < count, let chunk = try await iterator.next() {
                pending += String(buffer: chunk)
                let parts = pending.components(separatedBy: "\"kv\":{")
                seen += parts.count - 1
                pending = String(parts.last!.suffix(6))
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func report(_ target: Target, _ mode: String, latencies: [Double], wall: Duration) {
    let sorted = latencies.sorted()
    let rate = Double(latencies.count) / (milliseconds(wall) / 1000)
    print(String(format: "%@ %@ ops_per_s=%.0f p50_ms=%.3f p99_ms=%.3f", target.name, mode, rate, percentile(sorted, 0.5), percentile(sorted, 0.99)))
}

func writes(_ target: Target, mode: String, total: Int, workers: Int, value: Data) async throws {
    let clock = ContinuousClock()
    let started = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<workers {
            group.addTask {
                var samples: [Double] = []
                for i in stride(from: worker, to: total, by: workers) {
                    let begin = clock.now
                    try await target.put("/registry/bench/\(mode)/key-\(i)", value)
                    samples.append(milliseconds(clock.now - begin))
                }
                return samples
            }
        }
        return try await group.reduce(into: []) { $0 += $1 }
    }
    report(target, mode, latencies: latencies, wall: clock.now - started)
}

func fanOut(_ target: Target, watchers: Int, events: Int, value: Data) async throws {
    let prefix = "/registry/fanout/"
    var tasks: [Task<Void, any Error>] = []
    for _ in 0..<watchers { tasks.append(try await target.watch(prefix: prefix, count: events)) }
    let clock = ContinuousClock()
    let started = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<10 {
            group.addTask {
                for i in stride(from: writer, to: events, by: 10) { try await target.put("\(prefix)key-\(i)", value) }
            }
        }
        try await group.waitForAll()
    }
    for task in tasks { try await task.value }
    let seconds = milliseconds(clock.now - started) / 1000
    print(String(format: "%@ watch watchers=%d events=%d seconds=%.3f deliveries_per_s=%.0f",
                 target.name, watchers, events, seconds, Double(watchers * events) / seconds))
}

let options = parseOptions()
let value = Data((0..<options.valueBytes).map { UInt8(97 + $0 % 26) })
var configuration = HTTPClient.Configuration()
configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.workers + options.watchers + 10
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let store = try await KubeStore.open(path: "\(options.store)/state.db")
let targets: [Target] = [Embedded(store: store), Etcd(client: client, url: options.etcd)]
// Alternating, each run warmed up first, so drifting load hits both alike.
for target in targets { try await writes(target, mode: "warmup", total: 200, workers: 10, value: value) }
for target in targets { try await writes(target, mode: "sequential", total: options.sequential, workers: 1, value: value) }
for target in targets { try await writes(target, mode: "concurrent", total: options.concurrent, workers: options.workers, value: value) }
for target in targets { try await fanOut(target, watchers: options.watchers, events: options.events, value: value) }
await store.close()
try await client.shutdown()
