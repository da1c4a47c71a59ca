#!/usr/bin/env python3
"""What a stadium on-sale needs, from the figures bench/scale.sh measured (docs/scaling.md).

Reads target/bench/scale-<n>/cpu and .../db (default n = 1: one instance of each service, the cleanest
per-request costs on this 2-core machine), takes the on-sale's shape from the assumptions below (each one a
command-line option), and prints, as Markdown: the requests per second each phase brings, the CPU each
service needs and the instances that makes, the database rows and commits per second, and the Kafka records
per second per topic and per partition.

    python3 bench/capacity.py [--queue 500000] [--seats 50000] [--replicas-run 1] ...
"""
import argparse
import math
from collections import defaultdict

SERVICES = ["gateway", "queue-service", "concert-service", "reservation-service", "payment-service"]


def read(path):
    with open(path) as f:
        return [line.rstrip("\n").split("|") for line in f if line.strip()]


def poll_rate(waiting, admit_per_second, minimum=2, maximum=30, divisor=10):
    """Polls per second of a queue of `waiting` people, each told to poll again after about a tenth of its
    estimated wait (position / admission rate), between `minimum` and `maximum` seconds (TokenView)."""
    total = 0.0
    step = 100  # positions summed in blocks: exact enough, and fast
    for start in range(1, waiting + 1, step):
        position = start + step / 2
        wait = position / admit_per_second
        interval = min(maximum, max(minimum, math.ceil(wait / divisor)))
        total += min(step, waiting - start + 1) / interval
    return total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", default="target/bench/scale-1", help="a bench/scale.sh run directory")
    p.add_argument("--queue", type=int, default=500_000, help="people in the queue")
    p.add_argument("--join-peak", type=float, default=5_000, help="joins per second at the opening")
    p.add_argument("--admit", type=float, default=500, help="admissions per second (the operator's setting)")
    p.add_argument("--seats", type=int, default=50_000, help="seats on sale")
    p.add_argument("--seats-per-purchase", type=float, default=2)
    p.add_argument("--sell-out-minutes", type=float, default=10, help="how long until the seats are gone")
    p.add_argument("--seat-map-reads", type=float, default=5, help="seat map reads per admitted buyer")
    p.add_argument("--hold-attempts", type=float, default=3, help="hold attempts per admitted buyer")
    p.add_argument("--pod-cores", type=float, default=1, help="cores each instance gets")
    p.add_argument("--utilisation", type=float, default=0.6, help="the share of its cores an instance may use at peak")
    p.add_argument("--lapsed-holds", type=float, default=0.2, help="holds left to run out, per purchase")
    p.add_argument("--partitions", type=int, default=6)
    a = p.parse_args()

    cpu = defaultdict(dict)  # load -> process -> ms per request, net of idle
    for load, process, _, _gross, net in read(a.run + "/cpu"):
        cpu[load][process] = float(net)
    db = {load: tuple(map(float, rest)) for load, *rest in read(a.run + "/db")}

    purchases = a.seats / a.seats_per_purchase / (a.sell_out_minutes * 60)
    paced = poll_rate(a.queue, a.admit)
    unpaced = a.queue / 2
    # Requests per second of each measured load, at the peak, all phases at once (the opening's joins while the
    # crowd already polls and the first admitted buyers shop): an upper bound.
    rates = {
        "joins": a.join_peak,
        "polls": paced,
        "seat-map": a.admit * a.seat_map_reads,
        "holds": a.admit * a.hold_attempts,
        "purchases": purchases,
    }

    print(f"Assumptions: {a.queue:,} in the queue, joins peaking at {a.join_peak:,.0f}/s, admission {a.admit:,.0f}/s, "
          f"{a.seats:,} seats at {a.seats_per_purchase:g} a purchase sold in {a.sell_out_minutes:g} min "
          f"({purchases:,.0f} purchases/s), {a.seat_map_reads:g} seat-map reads and {a.hold_attempts:g} hold attempts per "
          f"admitted buyer, {a.lapsed_holds:g} holds left to lapse per purchase; instances of {a.pod_cores:g} core(s) at most {a.utilisation:.0%} busy. CPU per request: "
          f"{a.run}, net of idle.\n")
    print("| load | requests/s at the peak |")
    print("|---|---|")
    for load, rate in rates.items():
        print(f"| {load} | {rate:,.0f} |")
    print(f"\nPolls paced by Retry-After: {paced:,.0f}/s; every 2 s, as the page did before: {unpaced:,.0f}/s.\n")

    print("| process | cores at the peak | of which polls | instances | with polls every 2 s: cores, instances |")
    print("|---|---|---|---|---|")
    for process in SERVICES + ["mariadbd", "kafka (in the launcher)"]:
        cores = sum(rate * cpu[load].get(process, 0) / 1000 for load, rate in rates.items())
        polls = paced * cpu["polls"].get(process, 0) / 1000
        cores_unpaced = cores - polls + unpaced * cpu["polls"].get(process, 0) / 1000
        if process in SERVICES:
            per = a.pod_cores * a.utilisation
            print(f"| {process} | {cores:.1f} | {polls:.1f} | {max(2, math.ceil(cores / per))} | "
                  f"{cores_unpaced:.1f}, {max(2, math.ceil(cores_unpaced / per))} |")
        else:
            print(f"| {process} (this machine's) | {cores:.1f} | {polls:.1f} | - | {cores_unpaced:.1f} |")

    written = sum(rate * db[load][0] for load, rate in rates.items())
    updated = sum(rate * db[load][1] for load, rate in rates.items())
    deleted = sum(rate * db[load][2] for load, rate in rates.items())
    commits = sum(rate * db[load][3] for load, rate in rates.items())
    last_seen = a.queue / 30
    print(f"\nDatabase at the peak: {written:,.0f} rows written, {updated:,.0f} updated, {deleted:,.0f} deleted and "
          f"{commits:,.0f} commits per second, from the loads' measured rows per request; plus up to {last_seen:,.0f} "
          f"last-seen updates per second once the whole queue polls at 30 s (the measured polls were of 2,000 tokens, "
          f"few of them due).")

    # Kafka: records per purchase and per join/admission, from the contract: QueueTokenIssued per join,
    # QueueTokenActivated per admission, QueueTokenExpired per token; BalanceCharged and PaymentCompleted per
    # purchase; ReservationCreated and ReservationConfirmed per purchase, Created and Expired per hold that lapses.
    queue_events = a.join_peak + a.admit + purchases
    payment_events = 2 * purchases
    reservation_events = 2 * purchases + 2 * purchases * a.lapsed_holds
    print("\n| topic | records/s at the peak | per partition (of %d) |" % a.partitions)
    print("|---|---|---|")
    for topic, rate in [("queue.events", queue_events), ("reservation.events", reservation_events),
                        ("payment.events", payment_events)]:
        print(f"| {topic} | {rate:,.0f} | {rate / a.partitions:,.0f} |")


if __name__ == "__main__":
    main()
