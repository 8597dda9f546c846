import KubeAPI

/// An http(s) URL as upstream's prober builds and prints it (Go's url.URL, reduced to
/// what probes use).
public struct HTTPProbeURL: Equatable, Sendable, CustomStringConvertible {
    /// "http" or "https".
    public var scheme: String
    /// A name or an IP literal (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// Path and query as written in the probe; may be empty.
    public var path: String

    public init(scheme: String, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    public var authority: String { joinHostPort(host, port) }

    /// What goes on the request line: Go sends "/" for an empty path.
    var requestTarget: String {
        if path.isEmpty { return "/" }
        return path.hasPrefix("/") ? path : "/" + path
    }

    public var description: String {
        let shownPath = path.isEmpty || path.hasPrefix("/") ? path : "/" + path
        return "\(scheme)://\(authority)\(shownPath)"
    }

    /// The target of a redirect's Location: absolute, scheme-relative, absolute-path or
    /// relative to this URL's directory. nil when it cannot be understood.
    func resolving(_ location: String) -> HTTPProbeURL? {
        if let schemeEnd = location.range(of: "://") {
            let scheme = location[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            return Self.parse(authorityAndPath: location[schemeEnd.upperBound...], scheme: scheme)
        }
        if location.hasPrefix("//") {
            return Self.parse(authorityAndPath: location.dropFirst(2), scheme: scheme)
        }
        var target = self
        if location.hasPrefix("/") {
            target.path = location
        } else {
            let base = requestTarget.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let directory = base[...base.lastIndex(of: "/")!]
            target.path = directory + location
        }
        return target
    }

    private static func parse(authorityAndPath text: Substring, scheme: String) -> HTTPProbeURL? {
        let pathStart = text.firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
        let authority = text[..<pathStart]
        var path = String(text[pathStart...])
        if path.hasPrefix("?") { path = "/" + path }
        let defaultPort = scheme == "https" ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            guard let port = rest.isEmpty ? defaultPort : Int(rest.dropFirst()) else { return nil }
            return HTTPProbeURL(scheme: scheme, host: host, port: port, path: path)
        }
        let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts[0].isEmpty else { return nil }
        guard let port = parts.count == 1 ? defaultPort : Int(parts[1]) else { return nil }
        return HTTPProbeURL(scheme: scheme, host: String(parts[0]), port: port, path: path)
    }
}

/// An httpGet probe as upstream runs it: GET with `kube-probe/1.32` and `Accept: */*`
/// unless the probe sets them, same-host redirects followed (at most 10), success for
/// 200–399, a redirect to another host reported as a warning, at most 10 KiB of body read.
/// Blocking: run it on a thread of its own, not on the cooperative pool.
public enum HTTPProber {
    public static let userAgent = "kube-probe/1.32"
    static let maxBodyBytes = 10 * 1024
    static let maxRedirects = 10

    /// The URL the action asks for: `host` defaults to the pod IP, `port` may name a
    /// container port.
    public static func url(for action: HTTPGetAction, podIP: String,
                           containerPorts: [ContainerPort]?) -> Result<HTTPProbeURL, ProbePortError> {
        resolveContainerPort(action.port, in: containerPorts).map { port in
            let host = action.host.flatMap { $0.isEmpty ? nil : $0 } ?? podIP
            return HTTPProbeURL(scheme: action.scheme == .https ? "https" : "http", host: host, port: port,
                                path: action.path ?? "")
        }
    }

    public static func probe(_ action: HTTPGetAction, podIP: String, containerPorts: [ContainerPort]?,
                             timeout: Duration) -> ProbeResult {
        switch url(for: action, podIP: podIP, containerPorts: containerPorts) {
        case .success(let url): probe(url: url, headers: action.httpHeaders ?? [], timeout: timeout)
        case .failure(let error): .unknown(error.description)
        }
    }

    public static func probe(url: HTTPProbeURL, headers: [HTTPHeader], timeout: Duration) -> ProbeResult {
        let deadline = ContinuousClock.now + timeout
        let request = ProbeRequestHeaders(headers)
        var current = url
        var hostOverride = request.host
        var redirects = 0
        while true {
            let response: HTTPProbeResponse
            do {
                response = try fetch(current, hostHeader: hostOverride ?? current.authority, request: request,
                                     deadline: deadline)
            } catch {
                return error.result(for: current)
            }
            guard [301, 302, 303, 307, 308].contains(response.status),
                  let location = response.header("Location") else {
                return verdict(response)
            }
            guard let next = current.resolving(location) else {
                return .failure("Get \"\(location)\": unsupported redirect location")
            }
            // Upstream's redirect checker: another host ends the chain with this response.
            if next.host.lowercased() != url.host.lowercased() { return verdict(response) }
            redirects += 1
            if redirects >= maxRedirects { return .failure("Get \"\(next)\": stopped after \(maxRedirects) redirects") }
            // Go keeps a custom Host header only through relative redirects.
            if location.contains("://") || location.hasPrefix("//") { hostOverride = nil }
            current = next
        }
    }

    private static func verdict(_ response: HTTPProbeResponse) -> ProbeResult {
        switch response.status {
        case 200..<300: .success
        case 300..<400: .warning("Probe terminated redirects, Response body: \(String(decoding: response.body, as: UTF8.self))")
        default: .failure("HTTP probe failed with statuscode: \(response.status)")
        }
    }

    private static func fetch(_ url: HTTPProbeURL, hostHeader: String, request: ProbeRequestHeaders,
                              deadline: ContinuousClock.Instant) throws(HTTPProbeError) -> HTTPProbeResponse {
        guard url.scheme == "http" || url.scheme == "https" else { throw .unsupportedScheme(url.scheme) }
        let socket: any ProbeStream
        do {
            let plain = try ProbeSocket.connect(host: url.host, port: url.port, deadline: deadline)
            socket = url.scheme == "https" ? try TLSProbeStream(socket: plain, host: url.host) : plain
        } catch {
            throw .network(error, awaiting: "headers")
        }
        var text = "GET \(url.requestTarget) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        for (name, value) in request.fields { text += "\(name): \(value)\r\n" }
        // Upstream's transport disables keep-alives; the server may then end the body by closing.
        text += "Connection: close\r\n\r\n"
        var reader = HTTPResponseReader(socket: socket)
        do {
            try socket.write(Array(text.utf8))
        } catch {
            throw .network(error, awaiting: "headers")
        }
        return try reader.readResponse(bodyLimit: maxBodyBytes)
    }
}

/// The probe's own headers with upstream's defaults: Host taken out (it overrides the
/// Host line), User-Agent added unless set, Accept added unless set and dropped if set empty.
struct ProbeRequestHeaders {
    var host: String?
    var fields: [(name: String, value: String)] = []

    init(_ headers: [HTTPHeader]) {
        func has(_ name: String) -> Bool { headers.contains { $0.name.lowercased() == name } }
        for header in headers {
            switch header.name.lowercased() {
            case "host": host = host ?? header.value
            case "user-agent" where header.value.isEmpty: continue
            case "accept" where header.value.isEmpty: continue
            default: fields.append((header.name, header.value))
            }
        }
        if !has("user-agent") { fields.insert(("User-Agent", HTTPProber.userAgent), at: 0) }
        if !has("accept") { fields.append(("Accept", "*/*")) }
    }
}

struct HTTPProbeResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

enum HTTPProbeError: Error {
    case network(ProbeNetError, awaiting: String)
    case malformed(String)
    case unexpectedEOF
    /// The body could not be read: upstream returns this as a prober error, not a failure.
    case body(String)
    case unsupportedScheme(String)

    func result(for url: HTTPProbeURL) -> ProbeResult {
        let prefix = "Get \"\(url)\": "
        switch self {
        case .network(.dial(let text), _): return .failure(prefix + text)
        case .network(.dialTimeout(let text), let stage): return .failure(prefix + text + " (Client.Timeout exceeded while awaiting \(stage))")
        case .network(.timeout, let stage): return .failure(prefix + "context deadline exceeded (Client.Timeout exceeded while awaiting \(stage))")
        case .network(.io(let text), _): return .failure(prefix + text)
        case .malformed(let text): return .failure(prefix + "net/http: malformed HTTP response \(goQuote(text))")
        case .unexpectedEOF: return .failure(prefix + "EOF")
        case .body(let text): return .unknown(text)
        case .unsupportedScheme(let scheme): return .unknown("\(scheme) probes are not supported by this kubelet yet")
        }
    }
}

/// Reads one HTTP/1.1 response: status line, headers, and at most `bodyLimit` bytes of a
/// Content-Length, chunked or close-delimited body.
struct HTTPResponseReader {
    let socket: any ProbeStream
    private var buffer: [UInt8] = []
    private var atEnd = false

    init(socket: any ProbeStream) { self.socket = socket }

    mutating func readResponse(bodyLimit: Int) throws(HTTPProbeError) -> HTTPProbeResponse {
        var response: HTTPProbeResponse
        repeat {
            response = try readHead()
        } while (100..<200).contains(response.status)  // interim responses precede the real one
        if response.status == 204 || response.status == 304 { return response }
        do {
            if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
                response.body = try readChunked(limit: bodyLimit)
            } else if let length = response.header("Content-Length").flatMap({ Int($0.trimmingSpaces) }) {
                response.body = try readBytes(min(length, bodyLimit), untilEOF: false)
            } else {
                response.body = try readBytes(bodyLimit, untilEOF: true)
            }
        } catch .timeout {
            throw .body("context deadline exceeded (Client.Timeout exceeded while reading body)")
        } catch {
            throw .body("\(error)")
        }
        return response
    }

    private mutating func readHead() throws(HTTPProbeError) -> HTTPProbeResponse {
        let headEnd: Int
        while true {
            if let end = buffer.firstRange(of: [13, 10, 13, 10]) {
                headEnd = end.upperBound
                break
            }
            do {
                guard try fill() else { throw HTTPProbeError.unexpectedEOF }
            } catch let error as HTTPProbeError {
                throw error
            } catch let error as ProbeNetError {
                throw .network(error, awaiting: "headers")
            } catch {
                throw .unexpectedEOF
            }
        }
        let head = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = String(lines.removeFirst())
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
            throw .malformed(statusLine)
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed(String(line)) }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        return HTTPProbeResponse(status: status, headers: headers, body: [])
    }

    /// Reads more from the socket; false at end of stream.
    private mutating func fill() throws(ProbeNetError) -> Bool {
        guard !atEnd else { return false }
        let more = try socket.read()
        if more.isEmpty { atEnd = true }
        buffer += more
        return !more.isEmpty
    }

    private mutating func readBytes(_ count: Int, untilEOF: Bool) throws(ProbeNetError) -> [UInt8] {
        while buffer.count < count {
            guard try fill() else {
                if untilEOF { break }
                throw .io("unexpected EOF")
            }
        }
        let body = Array(buffer.prefix(count))
        buffer.removeFirst(body.count)
        return body
    }

    private mutating func readChunked(limit: Int) throws(ProbeNetError) -> [UInt8] {
        var body: [UInt8] = []
        while body.count < limit {
            while buffer.firstRange(of: [13, 10]) == nil {
                guard try fill() else { throw .io("unexpected EOF") }
            }
            let lineEnd = buffer.firstRange(of: [13, 10])!
            let sizeText = String(decoding: buffer[..<lineEnd.lowerBound], as: UTF8.self)
            buffer.removeFirst(lineEnd.upperBound)
            guard let size = Int(sizeText.split(separator: ";")[0].trimmingSpaces, radix: 16) else {
                throw .io("malformed chunked encoding")
            }
            if size == 0 { break }
            let wanted = min(size, limit - body.count)
            body += try readBytes(wanted, untilEOF: false)
            if wanted < size { break }
            _ = try readBytes(2, untilEOF: false)  // the CRLF after the chunk
        }
        return body
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
