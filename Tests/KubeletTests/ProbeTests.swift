import Foundation
import Glibc
import KubeAPI
@testable import Kubelet
import LinuxSys
import NodeTLS
import XCTest

// MARK: - State machine

final class ProbeWorkerStateTests: XCTestCase {
    private let t0 = ContinuousClock.now
    private func at(_ seconds: Int) -> ContinuousClock.Instant { t0 + .seconds(seconds) }

    private func running(_ kind: ProbeKind, _ probe: Probe = Probe()) -> ProbeWorkerState {
        var state = ProbeWorkerState(kind: kind, probe: probe)
        state.containerRunning(id: "c1", startedAt: t0)
        return state
    }

    func testDefaultsAreUpstreamsAndSuccessThresholdIsOneForLivenessAndStartup() {
        let liveness = ProbeSettings(Probe(successThreshold: 3), kind: .liveness)
        XCTAssertEqual([liveness.initialDelaySeconds, liveness.periodSeconds, liveness.timeoutSeconds,
                        liveness.successThreshold, liveness.failureThreshold], [0, 10, 1, 1, 3])
        XCTAssertEqual(ProbeSettings(Probe(successThreshold: 3), kind: .startup).successThreshold, 1)
        XCTAssertEqual(ProbeSettings(Probe(successThreshold: 3), kind: .readiness).successThreshold, 3)
        let zeros = ProbeSettings(Probe(initialDelaySeconds: -1, timeoutSeconds: 0, periodSeconds: 0, failureThreshold: 0),
                                  kind: .readiness)
        XCTAssertEqual([zeros.initialDelaySeconds, zeros.periodSeconds, zeros.timeoutSeconds, zeros.failureThreshold],
                       [0, 10, 1, 3])
    }

    func testInitialResultsAreNotReadyAliveAndStartupUnknown() {
        XCTAssertNil(ProbeWorkerState(kind: .readiness, probe: Probe()).result, "no container, no result")
        XCTAssertEqual(running(.readiness).result, .failure)
        XCTAssertEqual(running(.liveness).result, .success)
        XCTAssertEqual(running(.startup).result, .unknown)
    }

    func testReadinessStaysNotReadyThroughTheInitialDelay() {
        var state = running(.readiness, Probe(initialDelaySeconds: 5))
        XCTAssertEqual(state.nextDue(after: t0, containerStarted: true), at(5))
        XCTAssertFalse(state.isDue(at: at(4), containerStarted: true))
        XCTAssertTrue(state.isDue(at: at(5), containerStarted: true))
        XCTAssertEqual(state.result, .failure)
        XCTAssertEqual(state.record(.success, at: at(5)), ProbeUpdate(result: .success, changed: true))
    }

    func testProbesRunEveryPeriodAfterThePreviousOneStarted() {
        var state = running(.liveness, Probe(periodSeconds: 7))
        XCTAssertEqual(state.nextDue(after: t0, containerStarted: true), t0)
        state.record(.success, at: at(1))
        XCTAssertEqual(state.nextDue(after: at(2), containerStarted: true), at(8))
        XCTAssertEqual(state.nextDue(after: at(20), containerStarted: true), at(20), "overdue means now")
        state.record(.unknown("error"), at: at(20))
        XCTAssertEqual(state.nextDue(after: at(20), containerStarted: true), at(27), "an errored probe still waits a period")
    }

    func testReadinessFlipsOnlyAfterFailureThresholdFailuresInARow() {
        var state = running(.readiness)
        XCTAssertEqual(state.record(.success, at: t0), ProbeUpdate(result: .success, changed: true))
        XCTAssertEqual(state.record(.failure("x"), at: at(10)), ProbeUpdate(result: .success, changed: false))
        XCTAssertEqual(state.record(.failure("x"), at: at(20)), ProbeUpdate(result: .success, changed: false))
        XCTAssertEqual(state.record(.success, at: at(30)), ProbeUpdate(result: .success, changed: false))
        XCTAssertEqual(state.record(.failure("x"), at: at(40)).result, .success, "the run restarted")
        state.record(.failure("x"), at: at(50))
        XCTAssertEqual(state.record(.failure("x"), at: at(60)), ProbeUpdate(result: .failure, changed: true))
        XCTAssertNotNil(state.nextDue(after: at(60), containerStarted: true), "readiness keeps probing after failing")
        XCTAssertEqual(state.record(.success, at: at(70)), ProbeUpdate(result: .success, changed: true))
    }

    func testReadinessNeedsSuccessThresholdSuccessesInARow() {
        var state = running(.readiness, Probe(successThreshold: 2))
        XCTAssertEqual(state.record(.success, at: t0), ProbeUpdate(result: .failure, changed: false))
        XCTAssertEqual(state.record(.failure("x"), at: at(10)), ProbeUpdate(result: .failure, changed: false))
        XCTAssertEqual(state.record(.success, at: at(20)), ProbeUpdate(result: .failure, changed: false))
        XCTAssertEqual(state.record(.success, at: at(30)), ProbeUpdate(result: .success, changed: true))
    }

    func testAWarningCountsAsSuccessAndAnErrorIsThrownAway() {
        var state = running(.readiness, Probe(failureThreshold: 2))
        XCTAssertEqual(state.record(.warning("redirect"), at: t0).result, .success)
        state.record(.failure("x"), at: at(10))
        XCTAssertEqual(state.record(.unknown("port"), at: at(20)), ProbeUpdate(result: .success, changed: false))
        XCTAssertEqual(state.record(.failure("x"), at: at(30)), ProbeUpdate(result: .failure, changed: true),
                       "the error neither broke nor extended the run of failures")
    }

    func testLivenessFailureHoldsProbingUntilANewContainer() {
        var state = running(.liveness)
        state.record(.failure("x"), at: t0)
        state.record(.failure("x"), at: at(10))
        XCTAssertEqual(state.record(.failure("x"), at: at(20)), ProbeUpdate(result: .failure, changed: true))
        XCTAssertNil(state.nextDue(after: at(30), containerStarted: true))
        XCTAssertEqual(state.record(.success, at: at(30)), ProbeUpdate(result: .failure, changed: false), "on hold")
        state.containerRunning(id: "c1", startedAt: t0)
        XCTAssertNil(state.nextDue(after: at(30), containerStarted: true), "the same container stays on hold")

        XCTAssertEqual(state.containerRunning(id: "c2", startedAt: at(40)), ProbeUpdate(result: .success, changed: true))
        XCTAssertEqual(state.nextDue(after: at(40), containerStarted: true), at(40))
        state.record(.failure("x"), at: at(40))
        XCTAssertEqual(state.record(.failure("x"), at: at(50)).result, .success, "a new container counts afresh")
    }

    func testAReadinessRunDoesNotCarryOverToTheNextContainer() {
        var state = running(.readiness, Probe(successThreshold: 2))
        state.record(.success, at: t0)
        XCTAssertEqual(state.containerRunning(id: "c2", startedAt: at(5)), ProbeUpdate(result: .failure, changed: false))
        XCTAssertEqual(state.record(.success, at: at(5)).result, .failure)
        XCTAssertEqual(state.record(.success, at: at(15)).result, .success)
    }

    func testStartupGatesLivenessAndReadinessAndStopsOnceStarted() {
        var startup = running(.startup, Probe(periodSeconds: 1, failureThreshold: 30))
        let liveness = running(.liveness)
        let readiness = running(.readiness)
        var started = ProbeWorkerState.containerStarted(startup: startup)
        XCTAssertFalse(started)
        XCTAssertNil(liveness.nextDue(after: t0, containerStarted: started))
        XCTAssertNil(readiness.nextDue(after: t0, containerStarted: started))
        XCTAssertEqual(startup.nextDue(after: t0, containerStarted: started), t0)

        XCTAssertEqual(startup.record(.failure("x"), at: t0), ProbeUpdate(result: .unknown, changed: false))
        XCTAssertEqual(startup.record(.success, at: at(1)), ProbeUpdate(result: .success, changed: true))
        started = ProbeWorkerState.containerStarted(startup: startup)
        XCTAssertTrue(started)
        XCTAssertNil(startup.nextDue(after: at(1), containerStarted: started))
        XCTAssertEqual(liveness.nextDue(after: at(1), containerStarted: started), at(1))
        XCTAssertEqual(readiness.nextDue(after: at(1), containerStarted: started), at(1))
        XCTAssertTrue(ProbeWorkerState.containerStarted(startup: nil), "no startup probe: started")
    }

    func testStartupFailureThresholdFailsAndHolds() {
        var startup = running(.startup, Probe(failureThreshold: 2))
        startup.record(.failure("x"), at: t0)
        XCTAssertEqual(startup.record(.failure("x"), at: at(10)), ProbeUpdate(result: .failure, changed: true))
        XCTAssertNil(startup.nextDue(after: at(20), containerStarted: false))
    }

    func testAStoppedContainerFailsEveryKindAndIsNotProbed() {
        for kind in ProbeKind.allCases {
            var state = running(kind)
            XCTAssertEqual(state.containerNotRunning(id: "c1").result, .failure, "\(kind)")
            XCTAssertNil(state.nextDue(after: t0, containerStarted: kind != .startup), "\(kind)")
        }
    }

    func testPodDeletionReportsLivenessAndStartupSuccessAndStopsThem() {
        var liveness = running(.liveness)
        liveness.record(.failure("x"), at: t0)
        XCTAssertEqual(liveness.podDeleting(), ProbeUpdate(result: .success, changed: false))
        XCTAssertNil(liveness.nextDue(after: t0, containerStarted: true))
        var startup = running(.startup)
        XCTAssertEqual(startup.podDeleting(), ProbeUpdate(result: .success, changed: true))
        var readiness = running(.readiness)
        XCTAssertEqual(readiness.podDeleting(), ProbeUpdate(result: .failure, changed: false))
        XCTAssertNotNil(readiness.nextDue(after: t0, containerStarted: true))
    }
}

// MARK: - Ports and URLs

final class ProbeTargetTests: XCTestCase {
    private let ports = [ContainerPort(name: "http", containerPort: 8080), ContainerPort(name: "bad", containerPort: 0)]

    func testPortsResolveByNumberNameOrNumberInAString() {
        XCTAssertEqual(resolveContainerPort(.int(80), in: ports), .success(80))
        XCTAssertEqual(resolveContainerPort(.string("http"), in: ports), .success(8080))
        XCTAssertEqual(resolveContainerPort(.string("9000"), in: nil), .success(9000))
        XCTAssertEqual(resolveContainerPort(.string("web"), in: ports),
                       .failure(ProbePortError(description: "strconv.Atoi: parsing \"web\": invalid syntax")))
        XCTAssertEqual(resolveContainerPort(.string("bad"), in: ports),
                       .failure(ProbePortError(description: "invalid port number: 0")))
        XCTAssertEqual(resolveContainerPort(.int(65536), in: ports),
                       .failure(ProbePortError(description: "invalid port number: 65536")))
    }

    func testURLDefaultsToThePodIPAndPrintsAsGoDoes() throws {
        let plain = try HTTPProber.url(for: HTTPGetAction(port: .string("http")), podIP: "10.42.0.5",
                                       containerPorts: ports).get()
        XCTAssertEqual(plain.description, "http://10.42.0.5:8080")
        XCTAssertEqual(plain.requestTarget, "/")
        let full = try HTTPProber.url(for: HTTPGetAction(path: "healthz?full=1", port: .int(443), host: "fd00::1", scheme: .https),
                                      podIP: "10.42.0.5", containerPorts: nil).get()
        XCTAssertEqual(full.description, "https://[fd00::1]:443/healthz?full=1")
        XCTAssertEqual(full.requestTarget, "/healthz?full=1")
    }

    func testRedirectLocationsResolveAgainstTheCurrentURL() {
        let base = HTTPProbeURL(scheme: "http", host: "10.0.0.1", port: 8080, path: "/a/b?x=1")
        XCTAssertEqual(base.resolving("/c")?.description, "http://10.0.0.1:8080/c")
        XCTAssertEqual(base.resolving("c")?.description, "http://10.0.0.1:8080/a/c")
        XCTAssertEqual(base.resolving("//other:81/d")?.description, "http://other:81/d")
        XCTAssertEqual(base.resolving("https://[::1]/e")?.description, "https://[::1]:443/e")
        XCTAssertNil(base.resolving("ftp://x/"))
    }

    func testRequestHeadersGetUpstreamsDefaults() {
        let defaults = ProbeRequestHeaders([])
        XCTAssertEqual(defaults.fields.map { "\($0.name): \($0.value)" }, ["User-Agent: kube-probe/1.32", "Accept: */*"])
        let custom = ProbeRequestHeaders([HTTPHeader(name: "host", value: "web.example"), HTTPHeader(name: "Accept", value: ""),
                                          HTTPHeader(name: "X-Probe", value: "1"), HTTPHeader(name: "user-agent", value: "mine")])
        XCTAssertEqual(custom.host, "web.example")
        XCTAssertEqual(custom.fields.map { "\($0.name): \($0.value)" }, ["X-Probe: 1", "user-agent: mine"])
    }
}

// MARK: - Live probers against servers on 127.0.0.1

/// A listening socket on 127.0.0.1 whose thread answers each connection's request with
/// what `respond` returns; nil keeps the connection open without answering.
final class ProbeTestServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var seen: [String] = []
    private var held: [Int32] = []

    var requests: [String] { lock.withLock { seen } }

    init(respond: @escaping @Sendable (_ request: String, _ port: Int) -> String?) throws {
        let listener = try boundListener()
        try sys("listen") { listen(listener, 16) }
        let port = try localPort(listener)
        self.listener = listener
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                var request = [UInt8]()
                var chunk = [UInt8](repeating: 0, count: 4096)
                while request.firstRange(of: [13, 10, 13, 10]) == nil {
                    let n = read(connection, &chunk, chunk.count)
                    if n <= 0 { break }
                    request += chunk[0..<n]
                }
                let text = String(decoding: request, as: UTF8.self)
                lock.withLock { seen.append(text) }
                guard let response = respond(text, port) else {
                    lock.withLock { held.append(connection) }
                    continue
                }
                _ = Array(response.utf8).withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                close(connection)
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in held { close(fd) }
    }
}

private func boundListener() throws -> Int32 {
    let fd = try sys("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = try withUnsafePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            try sys("bind") { bind(fd, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
    return fd
}

private func localPort(_ fd: Int32) throws -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            try sys("getsockname") { getsockname(fd, raw, &length) }
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A port nothing listens on: bound, then closed.
private func closedPort() throws -> Int {
    let fd = try boundListener()
    defer { close(fd) }
    return try localPort(fd)
}

private func response(_ status: Int, headers: [String] = [], body: String = "") -> String {
    (["HTTP/1.1 \(status) Status", "Content-Length: \(body.utf8.count)"] + headers).joined(separator: "\r\n")
        + "\r\n\r\n" + body
}

final class LiveProberTests: XCTestCase {
    private let url = { (port: Int, path: String) in HTTPProbeURL(scheme: "http", host: "127.0.0.1", port: port, path: path) }

    func testTCPSucceedsOnAListeningPortAndFailsAsGoDoesOnAClosedOne() throws {
        let listener = try boundListener()
        defer { close(listener) }
        try sys("listen") { listen(listener, 4) }
        XCTAssertEqual(TCPProber.probe(host: "127.0.0.1", port: try localPort(listener), timeout: .seconds(1)), .success)
        let closed = try closedPort()
        XCTAssertEqual(TCPProber.probe(host: "127.0.0.1", port: closed, timeout: .seconds(1)),
                       .failure("dial tcp 127.0.0.1:\(closed): connect: connection refused"))
    }

    func testHTTPSuccessSendsUpstreamsHeaders() throws {
        let server = try ProbeTestServer { _, _ in response(200, body: "ok") }
        let result = HTTPProber.probe(url: url(server.port, "/healthz"), headers: [HTTPHeader(name: "Host", value: "web.example"),
                                                                                    HTTPHeader(name: "X-Trace", value: "7")],
                                      timeout: .seconds(2))
        XCTAssertEqual(result, .success)
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertTrue(request.hasPrefix("GET /healthz HTTP/1.1\r\nHost: web.example\r\n"), request)
        for line in ["User-Agent: kube-probe/1.32", "Accept: */*", "X-Trace: 7", "Connection: close"] {
            XCTAssertTrue(request.contains("\r\n\(line)\r\n"), "\(line) missing in \(request)")
        }
    }

    func testHTTPStatusesOutside200To399Fail() throws {
        let server = try ProbeTestServer { request, _ in
            request.hasPrefix("GET /bad ") ? response(503, body: "down") : response(399)
        }
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/bad"), headers: [], timeout: .seconds(2)),
                       .failure("HTTP probe failed with statuscode: 503"))
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/odd"), headers: [], timeout: .seconds(2)),
                       .warning("Probe terminated redirects, Response body: "))
    }

    func testSameHostRedirectsAreFollowedOtherHostsEndWithAWarning() throws {
        let server = try ProbeTestServer { request, port in
            if request.hasPrefix("GET /start ") { return response(302, headers: ["Location: http://127.0.0.1:\(port)/next"]) }
            if request.hasPrefix("GET /next ") { return response(301, headers: ["Location: final"]) }
            if request.hasPrefix("GET /final ") { return response(204) }
            if request.hasPrefix("GET /away ") { return response(307, headers: ["Location: http://elsewhere.invalid/"], body: "moved") }
            if request.hasPrefix("GET /loop ") { return response(302, headers: ["Location: /loop"]) }
            return response(404)
        }
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/start"), headers: [], timeout: .seconds(2)), .success)
        XCTAssertEqual(server.requests.map { $0.split(separator: " ")[1] }, ["/start", "/next", "/final"])
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/away"), headers: [], timeout: .seconds(2)),
                       .warning("Probe terminated redirects, Response body: moved"))
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/loop"), headers: [], timeout: .seconds(2)),
                       .failure("Get \"http://127.0.0.1:\(server.port)/loop\": stopped after 10 redirects"))
    }

    func testHTTPBodyIsReadAtMost10KiBAndChunkedBodiesAreDecoded() throws {
        let big = String(repeating: "x", count: 50_000)
        let server = try ProbeTestServer { request, _ in
            if request.hasPrefix("GET /chunked ") {
                return "HTTP/1.1 300 Multiple\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
            }
            return response(300, body: big)
        }
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/chunked"), headers: [], timeout: .seconds(2)),
                       .warning("Probe terminated redirects, Response body: abcde"))
        XCTAssertEqual(HTTPProber.probe(url: url(server.port, "/big"), headers: [], timeout: .seconds(2)),
                       .warning("Probe terminated redirects, Response body: " + String(repeating: "x", count: 10 * 1024)))
    }

    func testHTTPRefusedAndUnansweredFailAsUpstreamWithinTheTimeout() throws {
        let closed = try closedPort()
        XCTAssertEqual(HTTPProber.probe(url: url(closed, "/healthz"), headers: [], timeout: .seconds(1)),
                       .failure("Get \"http://127.0.0.1:\(closed)/healthz\": dial tcp 127.0.0.1:\(closed): connect: connection refused"))

        let silent = try ProbeTestServer { _, _ in nil }
        let clock = ContinuousClock()
        var result = ProbeResult.success
        let elapsed = clock.measure {
            result = HTTPProber.probe(url: url(silent.port, ""), headers: [], timeout: .milliseconds(300))
        }
        XCTAssertEqual(result, .failure("Get \"http://127.0.0.1:\(silent.port)\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"))
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(300))
        XCTAssertLessThan(elapsed, .milliseconds(800))
    }

    /// HTTPS as upstream probes it: any certificate (here the kubelet's own endpoint, whose
    /// CA the prober does not know), the status decides; TLS against a plain-HTTP port fails.
    func testHTTPSProbesSkipVerificationAndFailOnAPlainPort() async throws {
        let directory = NSTemporaryDirectory() + "probe-tls-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try NodeCertificates.ensure(directory: directory, nodeName: "node1")
        let server = try await KubeletServer.start(
            host: "127.0.0.1", port: 0, tls: try certificates.serverConfiguration(certificate: certificates.kubeletServing),
            node: { KubeletEndpoints.Node(name: "node1", pods: [], sandboxes: 0, containerStates: [], manifestErrors: 0, residentMemoryBytes: 0) })
        let secure = { (path: String) in HTTPProbeURL(scheme: "https", host: "127.0.0.1", port: server.port, path: path) }
        XCTAssertEqual(HTTPProber.probe(url: secure("/healthz"), headers: [], timeout: .seconds(2)), .success)
        XCTAssertEqual(HTTPProber.probe(url: secure("/pods"), headers: [], timeout: .seconds(2)),
                       .failure("HTTP probe failed with statuscode: 401"))
        XCTAssertEqual(HTTPProber.probe(url: HTTPProbeURL(scheme: "https", host: "localhost", port: server.port, path: "/healthz"),
                                        headers: [], timeout: .seconds(2)), .success, "with SNI")
        await server.stop()

        let plain = try ProbeTestServer { _, _ in response(200, body: "ok") }
        let result = HTTPProber.probe(url: HTTPProbeURL(scheme: "https", host: "127.0.0.1", port: plain.port, path: "/"),
                                      headers: [], timeout: .milliseconds(500))
        guard case .failure(let message) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(message.hasPrefix("Get \"https://127.0.0.1:\(plain.port)/\": "), message)
    }

    func testANamedPortThatNoContainerPortHasIsAnError() {
        XCTAssertEqual(HTTPProber.probe(HTTPGetAction(port: .string("metrics")), podIP: "127.0.0.1", containerPorts: [],
                                        timeout: .seconds(1)),
                       .unknown("strconv.Atoi: parsing \"metrics\": invalid syntax"))
    }
}

// MARK: - gRPC health check frames (golden bytes)

final class GRPCProbeTests: XCTestCase {
    private func frame(_ type: UInt8, _ flags: UInt8, _ payload: [UInt8]) -> [UInt8] {
        GRPCHealthCall.frame(type: type, flags: flags, stream: 1, payload: payload)
    }
    /// HPACK literal without indexing, new name, no Huffman.
    private func literal(_ name: String, _ value: String) -> [UInt8] {
        [0, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
    }

    func testTheRequestIsPrefaceSettingsHeadersAndALengthPrefixedMessage() {
        let bytes = GRPCHealthCall.request(authority: "10.42.0.5:9000", service: "web")
        XCTAssertEqual(Array(bytes.prefix(24)), Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8))
        XCTAssertEqual(Array(bytes[24..<33]), [0, 0, 0, 4, 0, 0, 0, 0, 0], "empty SETTINGS")
        XCTAssertEqual(Array(bytes.suffix(19)), [0, 0, 10, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0x0A, 3] + Array("web".utf8))
        let headers = Array(bytes[33...].dropLast(19))
        XCTAssertEqual(Array(headers.prefix(5)), [0, 0, UInt8(headers.count - 9), 1, 4])
        let decoded = HPACKDecoder().decodingCopy(Array(headers.dropFirst(9)))
        XCTAssertEqual(decoded?.map { "\($0.name)=\($0.value)" },
                       [":method=POST", ":scheme=http", ":path=/grpc.health.v1.Health/Check", ":authority=10.42.0.5:9000",
                        "content-type=application/grpc", "te=trailers", "user-agent=kube-probe/1.32"])
        XCTAssertEqual(Array(GRPCHealthCall.request(authority: "a:1", service: "").suffix(14)),
                       [0, 0, 5, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0], "an empty service is an empty message")
    }

    func testHuffmanStringsDecodeAsInRFC7541() {
        // RFC 7541 C.4.1: "www.example.com".
        XCTAssertEqual(HuffmanCode.decode([0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff]),
                       Array("www.example.com".utf8))
        XCTAssertNil(HuffmanCode.decode([0xf1, 0xe3, 0x00]), "padding must be ones")
    }

    func testServingNotServingAndUnimplementedAreJudgedAsUpstream() throws {
        func run(_ frames: [UInt8]...) throws -> (GRPCHealthCall, [UInt8]) {
            var call = GRPCHealthCall()
            var replies: [UInt8] = []
            for frame in frames { replies += try call.consume(frame) }
            return (call, replies)
        }
        let settings = GRPCHealthCall.frame(type: 4, flags: 0, stream: 0, payload: [0, 3, 0, 0, 0, 100])
        let headers = frame(1, 4, [0x88] + literal("content-type", "application/grpc"))
        let ok = frame(1, 5, literal("grpc-status", "0"))
        let (serving, replies) = try run(settings, headers, frame(0, 0, [0, 0, 0, 0, 2, 0x08, 1]), ok)
        XCTAssertEqual(replies, [0, 0, 0, 4, 1, 0, 0, 0, 0], "SETTINGS acknowledged")
        XCTAssertTrue(serving.finished)
        XCTAssertEqual(serving.verdict(), .success)

        let (notServing, _) = try run(headers, frame(0, 0, [0, 0, 0, 0, 2, 0x08, 2]), ok)
        XCTAssertEqual(notServing.verdict(), .failure("service unhealthy (responded with \"NOT_SERVING\")"))

        // Trailers-only; grpc-status as a literal with incremental indexing.
        let unimplemented = frame(1, 5, [0x88] + [0x40] + Array(literal("grpc-status", "12").dropFirst())
                                  + literal("grpc-message", "unknown service grpc.health.v1.Health"))
        XCTAssertEqual(try run(unimplemented).0.verdict(),
                       .failure("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health"))
        let notFound = frame(1, 5, [0x88] + literal("grpc-status", "5") + literal("grpc-message", "unknown service"))
        XCTAssertEqual(try run(notFound).0.verdict(),
                       .failure("error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"))
    }

    func testAClosedPortTimesOutAsGrpcGosBlockingDialDoes() throws {
        let closed = try closedPort()
        XCTAssertEqual(GRPCProber.probe(host: "127.0.0.1", port: closed, service: "", timeout: .milliseconds(200)),
                       .failure("timeout: failed to connect service \"127.0.0.1:\(closed)\" within 200ms: context deadline exceeded"))
        let silent = try ProbeTestServer { _, _ in nil }
        withExtendedLifetime(silent) {
            XCTAssertEqual(GRPCProber.probe(host: "127.0.0.1", port: silent.port, service: "", timeout: .milliseconds(200)),
                           .failure("timeout: health rpc did not complete within 200ms"))
        }
    }
}

extension HPACKDecoder {
    func decodingCopy(_ block: [UInt8]) -> [(name: String, value: String)]? {
        var copy = self
        return copy.decode(block)
    }
}
