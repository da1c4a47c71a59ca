#!/usr/bin/env python3
"""Reads the scenario reports that bench/all.sh gathered in target/bench and prints one Markdown
table: every figure beside its yardstick, the ratio computed here, the goal of the benchmark issue,
and whether this run met it. A figure a scenario did not produce is shown as "missing"."""
import re
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")


def text(name):
    f = out / name
    return f.read_text() if f.exists() else ""


def number(pattern, source):
    m = re.search(pattern, source, re.M)
    return float(m.group(1).replace(",", "")) if m else None


def fmt(v, unit=""):
    if v is None:
        return "missing"
    return f"{v:,.0f}{unit}" if abs(v) >= 10 else f"{v:.2f}{unit}"


rows = []


def row(scenario, figure, yardstick, goal, met):
    verdict = "missing" if met is None else ("met" if met else "missed")
    rows.append(f"| {scenario} | {figure} | {yardstick} | {goal} | {verdict} |")


def ratio(a, b):
    return a / b if a is not None and b else None


relay = text("relay.txt")
drain = number(r"^drain: .* = ([\d,]+) events/s", relay)
bare = number(r"^bare KafkaTemplate .* = ([\d,]+) events/s", relay)
r = ratio(drain, bare)
row("outbox relay drain", f"{fmt(drain)} events/s", f"bare KafkaTemplate send loop {fmt(bare)}/s; ratio {fmt(r)}",
    "5,000 events/s and ratio 0.5", None if r is None else drain >= 5000 and r >= 0.5)

qg = text("queue-gateway.md")


def wrk_rps(label):
    return number(r"^\| " + re.escape(label) + r"[^|]*\| ([\d.]+) \|", qg)


gw, direct, nginx = wrk_rps("C2 admitted GET through the gateway"), wrk_rps("C2 the same GET straight"), wrk_rps("C2 the same GET through nginx")
rd, rn = ratio(gw, direct), ratio(gw, nginx)
row("admitted GET, gateway / direct", f"{fmt(gw)} req/s", f"straight to concert-service {fmt(direct)}/s; ratio {fmt(rd)}",
    "ratio 0.6", None if rd is None else rd >= 0.6)
row("admitted GET, gateway / nginx", f"{fmt(gw)} req/s", f"nginx proxying concert-service {fmt(nginx)}/s; ratio {fmt(rn)}",
    "ratio 0.8", None if rn is None else rn >= 0.8)
joins, polls = wrk_rps("Q1 joins through the gateway"), wrk_rps("Q2 status polls through the gateway")
row("queue joins through the gateway", f"{fmt(joins)}/s", "-", "1,500/s", None if joins is None else joins >= 1500)
row("status polls through the gateway", f"{fmt(polls)}/s", "-", "5,000/s", None if polls is None else polls >= 5000)

holds = text("holds.md")
through = number(r"^\| R1 through the gateway \| (\d+) \|", holds)
straight = number(r"^\| R1 straight to reservation-service \| (\d+) \|", holds)
bare_jdbc = number(r"^\| bare JDBC insert loop \| (\d+) \|", holds)
rh, rs = ratio(through, bare_jdbc), ratio(straight, bare_jdbc)
row("hold attempts, 1,000 clients on 50 seats", f"{fmt(through)}/s answered through the gateway ({fmt(straight)}/s straight to the service, ratio {fmt(rs)})",
    f"bare JDBC insert loop {fmt(bare_jdbc)}/s; ratio {fmt(rh)}", "ratio 0.5", None if rh is None else rh >= 0.5)

saga = text("saga.txt")
p99 = number(r"saga latency over .* p99=([\d.]+) ms", saga)
rate = number(r"\(([\d.]+) payments/s\)", saga)
invariants = text("saga-invariants.txt")
held = "All 7 invariants hold." in invariants
first = re.search(r"^round 1 of (\d+): .* p99=([\d.]+) ms", saga, re.M)
rounds = f" (last of {first.group(1)} rounds; the first: p99 {fmt(float(first.group(2)), ' ms')})" if first else ""
row("saga latency", f"p99 {fmt(p99, ' ms')} at {fmt(rate)} payments/s{rounds}", "invariant checker: " + ("all hold" if held else "see saga.md"),
    "p99 under 250 ms at 50/s", None if p99 is None or rate is None else p99 < 250 and rate >= 49 and held)

fp = text("footprint.md")
up = number(r"after (\d+) s \(goal", fp)
rss = [int(m) for m in re.findall(r"^\| [a-z-]+ \| (\d+) \| \d+ \|", fp, re.M)]
row("stack healthy", f"{fmt(up, ' s')}", "-", "within 30 s", None if up is None else up <= 30)
row("RSS idle, largest service", f"{max(rss)} MB" if rss else "missing", "-", "under 300 MB each",
    None if not rss else max(rss) < 300)

print("| scenario | figure | yardstick and ratio, same run | goal | this run |")
print("|---|---|---|---|---|")
print("\n".join(rows))
