import Glibc

/// Wall-clock timestamps in the RFC 3339 forms Kubernetes and the CRI log use.
public enum Clock {
    public static func now() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts
    }

    /// `2026-01-02T03:04:05.123456789Z`
    public static func rfc3339Nano(_ ts: timespec = now()) -> String {
        var seconds = ts.tv_sec
        var tm = Glibc.tm()
        gmtime_r(&seconds, &tm)
        let frac = String(ts.tv_nsec)
        return String(Int(tm.tm_year) + 1900) + "-" + two(tm.tm_mon + 1) + "-" + two(tm.tm_mday) + "T"
            + two(tm.tm_hour) + ":" + two(tm.tm_min) + ":" + two(tm.tm_sec) + "."
            + String(repeating: "0", count: 9 - frac.count) + frac + "Z"
    }

    private static func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
