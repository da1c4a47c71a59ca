"""Where a JVM's request threads spend their CPU, from a JFR recording's execution samples.

    python3 bench/jfr-summary.py <recording.jfr> <microseconds of CPU per request> [thread name prefix ...]

Reads the recording with the JDK's `jfr print --json` (the `jfr` of the PATH, or of the JDK that made it: JFR=...) (execution samples of threads running Java code, and native
method samples of threads in a native call, where those are the socket reads and writes of Netty's native transport;
the event loops' waits in epoll are left out: idle) and assigns each sample to one part of the request's path: walking from the running method up its stack, the first frame whose class belongs to
one of the parts below decides (so a HashMap lookup done for the JWT library counts as token verification). Only
threads whose name starts with one of the prefixes count (default: Reactor Netty's event loops). Prints one Markdown row per part: its share of
the samples and that share of the given CPU per request (give the event loops' own, from /proc). The shares are of
samples, not of CPU time: a fair split where the threads are busy all the time, as under the benchmark's load.
"""
import collections
import json
import os
import subprocess
import sys

# (part, class name prefixes), in the order they are tried for each frame.
PARTS = [
    ("token check: the project's admission filter", ("dev.ticketing.gateway.admission", "dev.ticketing.gateway.token")),
    ("token check: JWT parsing and ES256 signature", ("com.nimbusds", "sun.security", "org.bouncycastle", "java.security",
                                                      "javax.crypto", "com.sun.crypto")),
    ("tracing (spans, context propagation)", ("io.micrometer.tracing", "io.opentelemetry", "io.micrometer.context")),
    ("metrics and observations", ("io.micrometer",)),
    ("rate limiter", ("dev.ticketing.gateway.ratelimit",)),
    ("the project's other filters", ("dev.ticketing",)),
    ("load balancer", ("org.springframework.cloud.loadbalancer", "org.springframework.cloud.client")),
    ("circuit breaker and time limiter", ("io.github.resilience4j",)),
    ("proxy: HTTP client to the service", ("reactor.netty.http.client", "reactor.netty.resources",
                                          "org.springframework.cloud.gateway.filter.NettyRoutingFilter",
                                          "org.springframework.cloud.gateway.filter.NettyWriteResponseFilter")),
    ("Spring Cloud Gateway's filters and routing", ("org.springframework.cloud.gateway",)),
    ("Spring WebFlux (dispatch, headers)", ("org.springframework",)),
    ("HTTP server and codec (Reactor Netty, Netty)", ("reactor.netty.http.server", "io.netty.handler.codec")),
    ("Netty channels, buffers and event loop", ("io.netty", "reactor.netty")),
    ("Reactor operators", ("reactor.core", "reactor.util")),
    ("JSON", ("com.fasterxml.jackson",)),
    ("logging", ("ch.qos.logback", "org.slf4j", "org.apache.logging")),
]
OTHER = "the JDK and everything else"
SOCKET = "socket system calls (Netty's native transport)"
IDLE = ("epollWait", "epollWait0", "epollBusyWait", "epollBusyWait0", "epollWaitNoTimeout")


def part_of(frames):
    for frame in frames:
        name = frame["method"]["type"]["name"].replace("/", ".")
        for part, prefixes in PARTS:
            if name.startswith(prefixes):
                return part
    return OTHER


def main():
    recording, cpu_per_request = sys.argv[1], float(sys.argv[2])
    prefixes = tuple(sys.argv[3:]) or ("reactor-http-epoll", "reactor-http-nio", "parallel", "boundedElastic")
    printed = subprocess.run([os.environ.get("JFR", "jfr"), "print", "--json", "--stack-depth", "64", "--events",
                              "jdk.ExecutionSample,jdk.NativeMethodSample", recording],
                             check=True, capture_output=True, text=True).stdout
    events = json.loads(printed)["recording"]["events"]
    counts = collections.Counter()
    leaves = collections.Counter()
    for event in events:
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or ""
        if not thread.startswith(prefixes):
            continue
        frames = (event["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        top = frames[0]["method"]
        if event["type"] == "jdk.NativeMethodSample":
            if top["name"] in IDLE:
                continue
            counts[SOCKET] += 1
        else:
            counts[part_of(frames)] += 1
        leaves[top["type"]["name"].replace("/", ".") + "." + top["name"]] += 1
    total = sum(counts.values())
    if total == 0:
        print("no execution sample of a request thread in", recording)
        return
    print(f"{total} samples of the request threads ({', '.join(prefixes)}); {cpu_per_request:.0f} µs of CPU per request in all")
    print()
    print("| part of the path | samples | µs per request |")
    print("|---|---|---|")
    for part, n in counts.most_common():
        print(f"| {part} | {100 * n / total:.1f} % | {cpu_per_request * n / total:.0f} |")
    print()
    print("Methods most often running (the top of the stack), share of the samples:", ", ".join(
        f"`{name}` {100 * n / total:.1f} %" for name, n in leaves.most_common(8)))


if __name__ == "__main__":
    main()
