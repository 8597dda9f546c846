#!/usr/bin/env python3
"""The timing loop of Benchmarks/staticpods (see there and Benchmarks/README.md).

Run by the script inside its namespaces, with the kubelet already running. For each of
--runs pods, one at a time, in alternating order (even runs swiftlet first, odd runs
podman first):

  swiftlet: write the Pod manifest to a temporary file beside the static pod directory,
            rename it in (t0), then watch the kubelet's status directory with inotify
            (and stat the status file every 1 ms as a fallback) until the pod's status
            shows containerStatuses[0].state.running (t_running) and the Ready condition
            True (t_ready). Markers: the kubelet's rewrite of problems.json (snapshot
            applied, after the watcher's debounce) and its "started container" log line.
            Then delete the manifest and wait until the status file and the pod's
            runtime containers are gone (untimed, reported).
  podman:   `podman kube play FILE` on the same YAML; the command's wall time, then
            `podman container inspect` must say running; then `podman kube down FILE`
            (untimed) and `podman ps -a` must be empty.

Samples go to OUT/samples.tsv; the summary to stdout.
"""
import argparse
import calendar
import ctypes
import ctypes.util
import json
import os
import select
import struct
import subprocess
import sys
import time

IN_CLOSE_WRITE = 0x008
IN_MOVED_TO = 0x080
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def inotify(directory, mask):
    fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1")
    if libc.inotify_add_watch(fd, directory.encode(), mask) < 0:
        raise OSError(ctypes.get_errno(), "inotify_add_watch " + directory)
    return fd


def drain(fd):
    """Reads every pending event; returns their names."""
    names = []
    try:
        while True:
            buf = os.read(fd, 65536)
            if not buf:
                break
            offset = 0
            while offset + 16 <= len(buf):
                _, _, _, length = struct.unpack_from("iIII", buf, offset)
                names.append(buf[offset + 16:offset + 16 + length].rstrip(b"\0").decode(errors="replace"))
                offset += 16 + length
    except BlockingIOError:
        pass
    return names


MANIFEST = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: default
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: sleeper
    image: {image}
    imagePullPolicy: IfNotPresent
    command: ["sleep", "3600"]
"""


def percentile(values, p):
    """Nearest-rank percentile of a sorted list (p in 0..100)."""
    if not values:
        return float("nan")
    rank = max(1, -(-len(values) * p // 100))
    return values[int(rank) - 1]


def median(values):
    n = len(values)
    if n == 0:
        return float("nan")
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def summary(values):
    v = sorted(values)
    return {"p50": median(v), "p99": percentile(v, 99), "min": v[0] if v else float("nan"),
            "max": v[-1] if v else float("nan"), "n": len(v)}


def ms(ns):
    return ns / 1e6


def rfc3339_ns(text):
    """Nanoseconds since the epoch of an RFC 3339 UTC time with optional fraction, or None."""
    if not text or not text.endswith("Z"):
        return None
    base, _, frac = text[:-1].partition(".")
    frac = "".join(ch for ch in frac if ch.isdigit())
    try:
        secs = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None
    frac = (frac + "000000000")[:9] if frac else "0"
    return int(secs) * 1_000_000_000 + int(frac)


class Swiftlet:
    def __init__(self, args):
        self.cli = [args.swiftlet, "--root", args.root, "--state", args.state]
        self.manifests = args.manifests
        self.staging = args.staging
        self.status_dir = os.path.join(args.state, "kubelet", "pods")
        self.node = args.node
        os.makedirs(self.status_dir, exist_ok=True)
        self.fd = inotify(self.status_dir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE)
        # The kubelet rewrites <state>/kubelet/problems.json (temp file + rename) each time it
        # applies a new snapshot of the static pod directory: that rename marks the end of
        # the watcher's debounce and scan.
        self.kubelet_fd = inotify(os.path.dirname(self.status_dir), IN_MOVED_TO)
        self.log = args.kubelet_log

    def status_path(self, name):
        return os.path.join(self.status_dir, f"default_{name}-{self.node}.json")

    def read_status(self, path):
        try:
            with open(path, "rb") as f:
                return json.loads(f.read())
        except (FileNotFoundError, ValueError):
            return None

    def play(self, name, yaml, timeout=120):
        staged = os.path.join(self.staging, name + ".yaml")
        with open(staged, "w") as f:
            f.write(yaml)
        path = self.status_path(name)
        drain(self.fd)
        drain(self.kubelet_fd)
        last_ident = None
        t_running = t_ready = t_snapshot = None
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        poller.register(self.kubelet_fd, select.POLLIN)
        wall0 = time.time_ns()
        t0 = time.monotonic_ns()
        os.rename(staged, os.path.join(self.manifests, name + ".yaml"))
        deadline = t0 + timeout * 1_000_000_000
        status = None
        while t_ready is None:
            poller.poll(1)
            now = time.monotonic_ns()
            drain(self.fd)
            if "problems.json" in drain(self.kubelet_fd) and t_snapshot is None:
                t_snapshot = now
            try:
                st = os.stat(path)
            except FileNotFoundError:
                st = None
            if st is not None and (st.st_ino, st.st_mtime_ns, st.st_size) != last_ident:
                last_ident = (st.st_ino, st.st_mtime_ns, st.st_size)
                doc = self.read_status(path)
                if doc is not None:
                    status = doc.get("status") or {}
                    cs = status.get("containerStatuses") or []
                    if t_running is None and cs and (cs[0].get("state") or {}).get("running"):
                        t_running = now
                    if any(c.get("type") == "Ready" and c.get("status") == "True"
                           for c in status.get("conditions") or []):
                        t_ready = now
            if now > deadline:
                raise RuntimeError(f"swiftlet: pod {name} not running+Ready after {timeout} s; last status: {status}")
        # Where the time went: the snapshot applied (above), and the kubelet's log line
        # "pod default/<name>-<node>: started container" (wall clock, milliseconds), logged
        # right after the runtime started the container.
        started = None
        marker = f" pod default/{name}-{self.node}: started container "
        with open(self.log, errors="replace") as f:
            for line in f:
                if marker in line:
                    started = rfc3339_ns(line.split(" ", 1)[0])
        return {"running": t_running - t0, "ready": t_ready - t0,
                "snapshot": None if t_snapshot is None else t_snapshot - t0,
                "started": None if started is None else started - wall0}

    def containers(self):
        out = subprocess.run(self.cli + ["ps", "-a"], capture_output=True, text=True, check=True).stdout
        return [line.split()[0] for line in out.splitlines()[1:] if line.strip()]

    def down(self, name, timeout=120):
        path = self.status_path(name)
        t0 = time.monotonic_ns()
        os.unlink(os.path.join(self.manifests, name + ".yaml"))
        deadline = t0 + timeout * 1_000_000_000
        while os.path.exists(path):
            if time.monotonic_ns() > deadline:
                raise RuntimeError(f"swiftlet: status of {name} still there {timeout} s after its manifest went")
            time.sleep(0.001)
        gone = time.monotonic_ns() - t0
        while self.containers():
            if time.monotonic_ns() > deadline:
                raise RuntimeError(f"swiftlet: containers of {name} still there: {self.containers()}")
            time.sleep(0.01)
        return gone


class Podman:
    def __init__(self, args):
        self.cli = ["podman"] + args.podman_args.split()
        self.staging = args.staging

    def play(self, name, yaml):
        path = os.path.join(self.staging, "podman-" + name + ".yaml")
        with open(path, "w") as f:
            f.write(yaml)
        t0 = time.monotonic_ns()
        r = subprocess.run(self.cli + ["kube", "play", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.monotonic_ns() - t0
        if r.returncode != 0:
            raise RuntimeError(f"podman kube play {name}: exit {r.returncode}: {r.stderr.strip()}")
        # kube play names the container <pod>-<container>.
        state = subprocess.run(self.cli + ["container", "inspect", "--format", "{{.State.Status}}", f"{name}-sleeper"],
                               capture_output=True, text=True, check=True).stdout.strip()
        if state != "running":
            raise RuntimeError(f"podman: container {name}-sleeper is {state!r}, not running")
        return {"running": elapsed}

    def down(self, name):
        path = os.path.join(self.staging, "podman-" + name + ".yaml")
        t0 = time.monotonic_ns()
        subprocess.run(self.cli + ["kube", "down", path], stdout=subprocess.DEVNULL, check=True)
        os.unlink(path)
        left = subprocess.run(self.cli + ["ps", "-a", "-q"], capture_output=True, text=True, check=True).stdout.split()
        if left:
            raise RuntimeError(f"podman: containers left after kube down {name}: {left}")
        return time.monotonic_ns() - t0


def main():
    p = argparse.ArgumentParser()
    for flag in ("swiftlet", "root", "state", "manifests", "staging", "node", "image", "podman-args", "out", "kubelet-log"):
        p.add_argument("--" + flag, required=True)
    p.add_argument("--runs", type=int, default=100)
    p.add_argument("--warmup", type=int, default=2)
    args = p.parse_args()
    swiftlet, podman = Swiftlet(args), Podman(args)

    samples = open(os.path.join(args.out, "samples.tsv"), "w")
    samples.write("run\ttool\trunning_ms\tready_ms\tsnapshot_applied_ms\tstarted_logged_ms\tdown_ms\n")
    res = {"s_run": [], "s_ready": [], "s_snap": [], "s_started": [], "s_down": [], "p_run": [], "p_down": []}

    for i in range(-args.warmup, args.runs):
        name = f"warm-{i + args.warmup}" if i < 0 else f"bench-{i:03d}"
        yaml = MANIFEST.format(name=name, image=args.image)
        order = ("swiftlet", "podman") if i % 2 == 0 else ("podman", "swiftlet")
        line = []
        for tool in order:
            if tool == "swiftlet":
                r = swiftlet.play(name, yaml)
                down = swiftlet.down(name)
                line.append(f"swiftlet running {ms(r['running']):7.2f} Ready {ms(r['ready']):7.2f} (down {ms(down):6.1f})")
                fmt = lambda v: "" if v is None else f"{ms(v):.3f}"
                if i >= 0:
                    samples.write(f"{i}\tswiftlet\t{ms(r['running']):.3f}\t{ms(r['ready']):.3f}\t{fmt(r['snapshot'])}\t"
                                  f"{fmt(r['started'])}\t{ms(down):.3f}\n")
                    res["s_run"].append(ms(r["running"]))
                    res["s_ready"].append(ms(r["ready"]))
                    res["s_down"].append(ms(down))
                    if r["snapshot"] is not None:
                        res["s_snap"].append(ms(r["snapshot"]))
                    if r["started"] is not None:
                        res["s_started"].append(ms(r["started"]))
            else:
                r = podman.play(name, yaml)
                down = podman.down(name)
                line.append(f"podman running {ms(r['running']):7.2f} (down {ms(down):6.1f})")
                if i >= 0:
                    samples.write(f"{i}\tpodman\t{ms(r['running']):.3f}\t\t\t\t{ms(down):.3f}\n")
                    res["p_run"].append(ms(r["running"]))
                    res["p_down"].append(ms(down))
        samples.flush()
        print(f"{'warm-up' if i < 0 else f'run {i + 1:3d}'}: " + ", ".join(line), file=sys.stderr, flush=True)

    def row(label, values):
        s = summary(values)
        return f"{label:<58} {s['p50']:9.2f} {s['p99']:9.2f} {s['min']:9.2f} {s['max']:9.2f} {s['n']:5d}"

    print(f"{'ms after the manifest is in place (one pod at a time)':<58} {'p50':>9} {'p99':>9} {'min':>9} {'max':>9} {'n':>5}")
    print(row("swiftlet kubelet: container running (status file)", res["s_run"]))
    print(row("swiftlet kubelet: pod Ready (status file)", res["s_ready"]))
    print(row("podman kube play: command returned, container running", res["p_run"]))
    print(row("  swiftlet: snapshot applied (debounce + scan; problems.json)", res["s_snap"]))
    print(row("  swiftlet: 'started container' logged (ms clock)", res["s_started"]))
    print(row("  swiftlet, manifest removed -> status gone (untimed)", res["s_down"]))
    print(row("  podman kube down (untimed)", res["p_down"]))
    s_run, s_ready, p_run = (summary(res[k])["p50"] for k in ("s_run", "s_ready", "p_run"))
    print(f"ratio podman p50 / swiftlet p50: {p_run / s_run:.2f}x (to running), {p_run / s_ready:.2f}x (to Ready)")


if __name__ == "__main__":
    main()
