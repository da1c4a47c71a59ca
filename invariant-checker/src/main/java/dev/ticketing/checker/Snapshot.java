package dev.ticketing.checker;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rows the invariants are judged on, read from each schema on its own. {@code tokenStatuses}
 * holds the status of each queue token a COMPLETED payment names (a token absent from the table is
 * absent from the map), and is empty when the queue schema has no queue_token table.
 * {@code unsentOutboxRows} counts, per schema with an outbox, the rows the relay has not sent.
 */
record Snapshot(List<Wallet> wallets, List<LedgerEntry> ledger, List<Charge> charges, List<Payment> payments,
                List<Reservation> reservations, List<Seat> seats, List<SeatHold> seatHolds,
                Optional<Map<String, String>> tokenStatuses, Map<String, Long> unsentOutboxRows) {

    record Wallet(long userId, long balance) {
    }

    record LedgerEntry(long entryId, long userId, String type, long amount, long reference) {
    }

    record Charge(long chargeId, long userId, long amount) {
    }

    record Payment(long paymentId, long reservationId, long userId, String queueTokenId, long amount, String status) {
    }

    /** {@code seatNos} is empty when the column could not be read as a list of numbers. */
    record Reservation(long reservationId, long userId, String queueTokenId, long scheduleId, String seatNosColumn,
                       List<Integer> seatNos, long amount, String status, Long paymentId) {
    }

    record SeatKey(long scheduleId, int seatNo) {

        @Override
        public String toString() {
            return "schedule " + scheduleId + " seat " + seatNo;
        }
    }

    /** A row of concert.seat; {@code reservationId} is null while AVAILABLE. */
    record Seat(SeatKey key, String status, Long reservationId) {
    }

    record SeatHold(SeatKey key, long reservationId, String status) {
    }

    static <K, V> Map<K, V> index(Collection<V> rows, Function<V, K> key) {
        return rows.stream().collect(Collectors.toMap(key, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    static <K, V> Map<K, List<V>> group(Collection<V> rows, Function<V, K> key) {
        return rows.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
    }
}
