package dev.ticketing.checker;

import dev.ticketing.checker.Snapshot.Charge;
import dev.ticketing.checker.Snapshot.LedgerEntry;
import dev.ticketing.checker.Snapshot.Payment;
import dev.ticketing.checker.Snapshot.Reservation;
import dev.ticketing.checker.Snapshot.Seat;
import dev.ticketing.checker.Snapshot.SeatHold;
import dev.ticketing.checker.Snapshot.SeatKey;
import dev.ticketing.checker.Snapshot.Wallet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.ticketing.checker.Invariant.CONFIRMED_RESERVATION_PAID_AND_SOLD;
import static dev.ticketing.checker.Invariant.LEDGER_MATCHES_CHARGES;
import static dev.ticketing.checker.Invariant.LEDGER_MATCHES_PAYMENTS;
import static dev.ticketing.checker.Invariant.PAID_TOKEN_EXPIRED;
import static dev.ticketing.checker.Invariant.PAYMENT_AGREES_WITH_RESERVATION;
import static dev.ticketing.checker.Invariant.SEAT_TAKEN_BY_LIVE_RESERVATION;
import static dev.ticketing.checker.Invariant.WALLET_MATCHES_LEDGER;

/** The invariants judged on a snapshot, in plain Java; each fault of a subject lands in one breach. */
final class Rules {

    // Statuses as the migrations spell them.
    private static final String PENDING_PAYMENT = "PENDING_PAYMENT";
    private static final String CONFIRMED = "CONFIRMED";
    private static final String EXPIRED = "EXPIRED";
    private static final String CANCELLED = "CANCELLED";
    private static final String PENDING = "PENDING";
    private static final String COMPLETED = "COMPLETED";
    private static final String REFUNDED = "REFUNDED";
    private static final String HELD = "HELD";
    private static final String SOLD = "SOLD";
    private static final String CHARGE = "CHARGE";
    private static final String PAYMENT = "PAYMENT";
    private static final String REFUND = "REFUND";

    private final Snapshot snapshot;
    private final Map<Long, Reservation> reservations;
    private final Map<Long, List<Payment>> paymentsByReservation;
    private final Map<SeatKey, Seat> seats;
    private final Map<SeatKey, SeatHold> holds;
    private final Map<Subject, List<String>> problems = new LinkedHashMap<>();

    private Rules(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.reservations = Snapshot.index(snapshot.reservations(), Reservation::reservationId);
        this.paymentsByReservation = Snapshot.group(snapshot.payments(), Payment::reservationId);
        this.seats = Snapshot.index(snapshot.seats(), Seat::key);
        this.holds = Snapshot.index(snapshot.seatHolds(), SeatHold::key);
    }

    static List<Breach> judge(Snapshot snapshot) {
        Rules rules = new Rules(snapshot);
        rules.walletsMatchLedger();
        rules.confirmedReservationsArePaidAndSold();
        rules.seatsAreTakenByLiveReservations();
        rules.paymentsAgreeWithReservations();
        rules.ledgerMatchesPayments();
        rules.ledgerMatchesCharges();
        rules.paidTokensAreExpired();
        return rules.breaches();
    }

    private void walletsMatchLedger() {
        Map<Long, Long> balances = snapshot.wallets().stream()
                .collect(Collectors.toMap(Wallet::userId, Wallet::balance, (a, b) -> a, TreeMap::new));
        Map<Long, Long> ledgerSums = snapshot.ledger().stream()
                .collect(Collectors.groupingBy(LedgerEntry::userId, TreeMap::new, Collectors.summingLong(LedgerEntry::amount)));
        TreeSet<Long> users = new TreeSet<>(balances.keySet());
        users.addAll(ledgerSums.keySet());
        for (long user : users) {
            String subject = "user " + user;
            Long balance = balances.get(user);
            Long sum = ledgerSums.get(user);
            if (balance == null) {
                add(WALLET_MATCHES_LEDGER, subject, "ledger entries sum to " + sum + " but there is no wallet");
                continue;
            }
            if (balance < 0) {
                add(WALLET_MATCHES_LEDGER, subject, "balance " + balance + " is negative");
            }
            if (sum == null && balance != 0) {
                add(WALLET_MATCHES_LEDGER, subject, "balance " + balance + " with no ledger entry");
            } else if (sum != null && sum.longValue() != balance) {
                add(WALLET_MATCHES_LEDGER, subject, "balance " + balance + " but ledger entries sum to " + sum);
            }
        }
    }

    private void confirmedReservationsArePaidAndSold() {
        for (Reservation r : snapshot.reservations()) {
            if (!CONFIRMED.equals(r.status())) {
                continue;
            }
            String subject = "reservation " + r.reservationId();
            List<Payment> payments = paymentsByReservation.getOrDefault(r.reservationId(), List.of());
            List<Payment> completed = payments.stream().filter(p -> COMPLETED.equals(p.status())).toList();
            if (completed.size() != 1) {
                add(CONFIRMED_RESERVATION_PAID_AND_SOLD, subject, (completed.isEmpty() ? "no" : completed.size())
                        + " COMPLETED payment" + (payments.isEmpty() ? "" : " (" + describe(payments) + ")"));
            } else {
                Payment p = completed.get(0);
                if (!Objects.equals(r.paymentId(), p.paymentId())) {
                    add(CONFIRMED_RESERVATION_PAID_AND_SOLD, subject, "payment_id is " + r.paymentId()
                            + " but payment " + p.paymentId() + " completed it");
                }
                if (p.amount() != r.amount()) {
                    add(CONFIRMED_RESERVATION_PAID_AND_SOLD, subject, "amount " + r.amount() + " but payment "
                            + p.paymentId() + " is of " + p.amount());
                }
                if (p.userId() != r.userId()) {
                    add(CONFIRMED_RESERVATION_PAID_AND_SOLD, subject, "user " + r.userId() + " but payment "
                            + p.paymentId() + " is user " + p.userId() + "'s");
                }
                if (!Objects.equals(p.queueTokenId(), r.queueTokenId())) {
                    add(CONFIRMED_RESERVATION_PAID_AND_SOLD, subject, "queue token " + r.queueTokenId() + " but payment "
                            + p.paymentId() + " names " + p.queueTokenId());
                }
            }
            seatsTakenBy(CONFIRMED_RESERVATION_PAID_AND_SOLD, r, SOLD);
        }
    }

    private void seatsAreTakenByLiveReservations() {
        for (Seat seat : snapshot.seats()) {
            if (!"AVAILABLE".equals(seat.status()) || seat.reservationId() != null) {
                takenByLiveReservation("concert.seat " + seat.key(), seat.key(), seat.status(), seat.reservationId());
            }
        }
        for (SeatHold hold : snapshot.seatHolds()) {
            takenByLiveReservation("seat_hold " + hold.key(), hold.key(), hold.status(), hold.reservationId());
        }
        for (Reservation r : snapshot.reservations()) {
            if (PENDING_PAYMENT.equals(r.status())) {
                seatsTakenBy(SEAT_TAKEN_BY_LIVE_RESERVATION, r, HELD);
            }
        }
    }

    /** A HELD or SOLD seat (in either table) names a reservation of the matching state that has it. */
    private void takenByLiveReservation(String subject, SeatKey key, String status, Long reservationId) {
        String expected = SOLD.equals(status) ? CONFIRMED : HELD.equals(status) ? PENDING_PAYMENT : null;
        if (expected == null) {
            add(SEAT_TAKEN_BY_LIVE_RESERVATION, subject, "status " + status + " names reservation " + reservationId);
            return;
        }
        if (reservationId == null) {
            add(SEAT_TAKEN_BY_LIVE_RESERVATION, subject, status + " but names no reservation");
            return;
        }
        Reservation r = reservations.get(reservationId);
        String taken = status + " by reservation " + reservationId;
        if (r == null) {
            add(SEAT_TAKEN_BY_LIVE_RESERVATION, subject, taken + ", which does not exist");
            return;
        }
        if (!expected.equals(r.status())) {
            add(SEAT_TAKEN_BY_LIVE_RESERVATION, subject, taken + ", which is " + r.status());
        }
        if (r.scheduleId() != key.scheduleId() || !r.seatNos().contains(key.seatNo())) {
            add(SEAT_TAKEN_BY_LIVE_RESERVATION, subject, taken + ", whose seats are schedule " + r.scheduleId()
                    + " seats " + r.seatNosColumn());
        }
    }

    /** Each seat of {@code r} has {@code status} by {@code r} in concert.seat and in seat_hold. */
    private void seatsTakenBy(Invariant invariant, Reservation r, String status) {
        String subject = "reservation " + r.reservationId();
        if (r.seatNos().isEmpty()) {
            add(invariant, subject, "seat_nos '" + r.seatNosColumn() + "' is not a list of seat numbers");
        }
        for (int seatNo : r.seatNos()) {
            SeatKey key = new SeatKey(r.scheduleId(), seatNo);
            Seat seat = seats.get(key);
            if (seat == null) {
                add(invariant, subject, "seat " + seatNo + " has no row in concert.seat");
            } else if (!status.equals(seat.status()) || !Objects.equals(seat.reservationId(), r.reservationId())) {
                add(invariant, subject, "seat " + seatNo + " is " + describe(seat.status(), seat.reservationId())
                        + " in concert.seat");
            }
            SeatHold hold = holds.get(key);
            if (hold == null) {
                add(invariant, subject, "seat " + seatNo + " has no seat_hold");
            } else if (!status.equals(hold.status()) || hold.reservationId() != r.reservationId()) {
                add(invariant, subject, "seat " + seatNo + " is " + describe(hold.status(), hold.reservationId())
                        + " in seat_hold");
            }
        }
    }

    private void paymentsAgreeWithReservations() {
        for (Payment p : snapshot.payments()) {
            String subject = "payment " + p.paymentId();
            Reservation r = reservations.get(p.reservationId());
            if (r == null) {
                add(PAYMENT_AGREES_WITH_RESERVATION, subject, p.status() + " but its reservation " + p.reservationId()
                        + " does not exist");
                continue;
            }
            String its = "its reservation " + r.reservationId() + " is " + r.status();
            switch (r.status()) {
                // A CONFIRMED reservation's payment is judged by CONFIRMED_RESERVATION_PAID_AND_SOLD.
                case CONFIRMED -> { }
                case PENDING_PAYMENT -> {
                    if (!PENDING.equals(p.status())) {
                        add(PAYMENT_AGREES_WITH_RESERVATION, subject, p.status() + " but " + its);
                    }
                }
                case EXPIRED, CANCELLED -> {
                    if (COMPLETED.equals(p.status())) {
                        add(PAYMENT_AGREES_WITH_RESERVATION, subject, "COMPLETED but " + its + ": it should be REFUNDED");
                    } else if (PENDING.equals(p.status())) {
                        add(PAYMENT_AGREES_WITH_RESERVATION, subject, "still PENDING but " + its);
                    }
                }
                default -> add(PAYMENT_AGREES_WITH_RESERVATION, subject, its + ", an unknown status");
            }
        }
    }

    private void ledgerMatchesPayments() {
        Map<Long, List<LedgerEntry>> paid = entriesByReference(PAYMENT);
        Map<Long, List<LedgerEntry>> refunded = entriesByReference(REFUND);
        for (Payment p : snapshot.payments()) {
            String subject = "payment " + p.paymentId();
            List<LedgerEntry> payments = paid.getOrDefault(p.paymentId(), List.of());
            List<LedgerEntry> refunds = refunded.getOrDefault(p.paymentId(), List.of());
            switch (p.status()) {
                case COMPLETED -> {
                    expectOne(subject, PAYMENT, payments, -p.amount(), p.userId());
                    expectNone(subject, p, refunds);
                }
                case REFUNDED -> {
                    expectOne(subject, PAYMENT, payments, -p.amount(), p.userId());
                    expectOne(subject, REFUND, refunds, p.amount(), p.userId());
                }
                default -> {
                    expectNone(subject, p, payments);
                    expectNone(subject, p, refunds);
                }
            }
        }
        Map<Long, Payment> payments = Snapshot.index(snapshot.payments(), Payment::paymentId);
        for (LedgerEntry e : snapshot.ledger()) {
            if ((PAYMENT.equals(e.type()) || REFUND.equals(e.type())) && !payments.containsKey(e.reference())) {
                add(LEDGER_MATCHES_PAYMENTS, "ledger entry " + e.entryId(), e.type() + " of " + e.amount()
                        + " names payment " + e.reference() + ", which does not exist");
            }
        }
    }

    private void ledgerMatchesCharges() {
        Map<Long, List<LedgerEntry>> charged = entriesByReference(CHARGE);
        for (Charge c : snapshot.charges()) {
            expectOne("charge " + c.chargeId(), CHARGE, charged.getOrDefault(c.chargeId(), List.of()), c.amount(),
                    c.userId());
        }
        Map<Long, Charge> charges = Snapshot.index(snapshot.charges(), Charge::chargeId);
        for (LedgerEntry e : snapshot.ledger()) {
            if (CHARGE.equals(e.type()) && !charges.containsKey(e.reference())) {
                add(LEDGER_MATCHES_CHARGES, "ledger entry " + e.entryId(), "CHARGE of " + e.amount()
                        + " names charge " + e.reference() + ", which does not exist");
            }
        }
    }

    private void expectOne(String subject, String type, List<LedgerEntry> entries, long amount, long userId) {
        Invariant invariant = CHARGE.equals(type) ? LEDGER_MATCHES_CHARGES : LEDGER_MATCHES_PAYMENTS;
        if (entries.isEmpty()) {
            add(invariant, subject, "no " + type + " ledger entry, expected one of " + amount);
            return;
        }
        if (entries.size() > 1) {
            add(invariant, subject, entries.size() + " " + type + " ledger entries (" + entries.stream()
                    .map(e -> e.entryId() + ": " + e.amount()).collect(Collectors.joining(", ")) + "), expected one");
            return;
        }
        LedgerEntry e = entries.get(0);
        if (e.amount() != amount) {
            add(invariant, subject, type + " entry " + e.entryId() + " is of " + e.amount() + ", expected " + amount);
        }
        if (e.userId() != userId) {
            add(invariant, subject, type + " entry " + e.entryId() + " is user " + e.userId() + "'s, expected user "
                    + userId + "'s");
        }
    }

    private void expectNone(String subject, Payment p, List<LedgerEntry> entries) {
        for (LedgerEntry e : entries) {
            add(LEDGER_MATCHES_PAYMENTS, subject, p.status() + " but has " + e.type() + " entry " + e.entryId()
                    + " of " + e.amount());
        }
    }

    private void paidTokensAreExpired() {
        if (snapshot.tokenStatuses().isEmpty()) {
            return;
        }
        Map<String, String> tokens = snapshot.tokenStatuses().get();
        for (Payment p : snapshot.payments()) {
            Reservation r = reservations.get(p.reservationId());
            boolean confirmedByIt = r != null && CONFIRMED.equals(r.status()) && Objects.equals(r.paymentId(), p.paymentId());
            if (!COMPLETED.equals(p.status()) || !confirmedByIt) {
                continue;
            }
            String subject = "queue token " + p.queueTokenId();
            String status = tokens.get(p.queueTokenId());
            if (status == null) {
                add(PAID_TOKEN_EXPIRED, subject, "named by payment " + p.paymentId() + " but not in queue_token");
            } else if (!EXPIRED.equals(status)) {
                add(PAID_TOKEN_EXPIRED, subject, status + " but payment " + p.paymentId() + " completed reservation "
                        + r.reservationId());
            }
        }
    }

    private Map<Long, List<LedgerEntry>> entriesByReference(String type) {
        return Snapshot.group(snapshot.ledger().stream().filter(e -> type.equals(e.type())).toList(),
                LedgerEntry::reference);
    }

    private static String describe(List<Payment> payments) {
        return payments.stream().map(p -> "payment " + p.paymentId() + " is " + p.status())
                .collect(Collectors.joining(", "));
    }

    private static String describe(String status, Long reservationId) {
        return reservationId == null ? status : status + " by reservation " + reservationId;
    }

    private void add(Invariant invariant, String subject, String problem) {
        problems.computeIfAbsent(new Subject(invariant, subject), s -> new ArrayList<>()).add(problem);
    }

    private List<Breach> breaches() {
        return problems.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().invariant()))
                .map(e -> new Breach(e.getKey().invariant(), e.getKey().subject(), String.join("; ", e.getValue())))
                .toList();
    }

    private record Subject(Invariant invariant, String subject) {
    }
}
