package dev.ticketing.checker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a check found: every breach, how much was read, and information that is not a breach
 * (outbox rows still unsent per schema, invariants skipped and why).
 */
public record Report(List<Breach> breaches, Checked checked, Map<String, Long> unsentOutboxRows, List<String> notes) {

    public Report {
        breaches = List.copyOf(breaches);
        unsentOutboxRows = Collections.unmodifiableMap(new LinkedHashMap<>(unsentOutboxRows));
        notes = List.copyOf(notes);
    }

    /** How many rows of each kind were read; users are those with a wallet or a ledger entry. */
    public record Checked(int users, int ledgerEntries, int charges, int payments, int reservations,
                          int seats, int seatHolds, int queueTokens) {
    }

    /** True when no invariant is breached. */
    public boolean holds() {
        return breaches.isEmpty();
    }

    public List<Breach> breachesOf(Invariant invariant) {
        return breaches.stream().filter(b -> b.invariant() == invariant).toList();
    }

    /** A few lines: the verdict, what was checked, unsent outbox rows and notes. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        if (holds()) {
            text.append("All ").append(Invariant.values().length).append(" invariants hold.\n");
        } else {
            long breached = breaches.stream().map(Breach::invariant).distinct().count();
            text.append(breaches.size()).append(breaches.size() == 1 ? " breach: " : " breaches: ")
                    .append(breached).append(" of ").append(Invariant.values().length).append(" invariants breached.\n");
        }
        text.append("Checked ").append(checked.users()).append(" users, ")
                .append(checked.ledgerEntries()).append(" ledger entries, ")
                .append(checked.charges()).append(" charges, ")
                .append(checked.payments()).append(" payments, ")
                .append(checked.reservations()).append(" reservations, ")
                .append(checked.seats()).append(" seats, ")
                .append(checked.seatHolds()).append(" seat holds, ")
                .append(checked.queueTokens()).append(" queue tokens.\n");
        if (!unsentOutboxRows.isEmpty()) {
            text.append("Outbox rows not yet sent: ").append(unsentOutboxRows.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        }
        notes.forEach(note -> text.append("Note: ").append(note).append('\n'));
        return text.toString();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(summary());
        breaches.forEach(breach -> text.append("BREACH ").append(breach).append('\n'));
        return text.toString();
    }
}
