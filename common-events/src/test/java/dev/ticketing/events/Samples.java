package dev.ticketing.events;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fixed, realistic envelope per event type: the source of the golden files. */
final class Samples {

    static final long USER_ID = 42;
    static final long CONCERT_ID = 7;
    static final long SCHEDULE_ID = 101;
    static final long RESERVATION_ID = 5001;
    static final long PAYMENT_ID = 9001;
    static final long CHARGE_ID = 3001;
    static final String TOKEN_ID = "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f";
    static final List<Integer> SEAT_NOS = List.of(12, 13);
    static final long AMOUNT = 240_000;
    static final Instant OCCURRED_AT = Instant.parse("2026-11-23T10:15:30Z");

    private static final Map<EventType, EventEnvelope> ENVELOPES = new EnumMap<>(EventType.class);

    static {
        put(1, new ReservationCreated(RESERVATION_ID, USER_ID, TOKEN_ID, CONCERT_ID, SCHEDULE_ID, SEAT_NOS, AMOUNT,
                Instant.parse("2026-11-23T10:20:30Z")));
        put(2, new ReservationConfirmed(RESERVATION_ID, USER_ID, SCHEDULE_ID, SEAT_NOS, PAYMENT_ID));
        put(3, new ReservationExpired(RESERVATION_ID, USER_ID, SCHEDULE_ID, SEAT_NOS));
        put(4, new ReservationCancelled(RESERVATION_ID, USER_ID, SCHEDULE_ID, SEAT_NOS));
        put(5, new ReservationRejected(RESERVATION_ID, USER_ID, SCHEDULE_ID, PAYMENT_ID, RejectionReason.HOLD_EXPIRED));
        put(6, new PaymentCompleted(PAYMENT_ID, RESERVATION_ID, USER_ID, TOKEN_ID, AMOUNT,
                Instant.parse("2026-11-23T10:17:02.250Z")));
        put(7, new PaymentRefunded(PAYMENT_ID, RESERVATION_ID, USER_ID, AMOUNT, RejectionReason.CANCELLED));
        put(8, new BalanceCharged(USER_ID, CHARGE_ID, 50_000, 290_000));
        put(9, new QueueTokenIssued(TOKEN_ID, USER_ID, 1234));
        put(10, new QueueTokenActivated(TOKEN_ID, USER_ID, 95_000));
        put(11, new QueueTokenExpired(TOKEN_ID, USER_ID, TokenExpiryReason.PAYMENT_COMPLETED));
    }

    private Samples() {
    }

    private static void put(int n, DomainEvent event) {
        UUID eventId = UUID.fromString(String.format("8d0f4a52-6c1e-4c47-9b3a-2f1e0d9c8b%02d", n));
        ENVELOPES.put(EventType.of(event), EventEnvelope.of(event, eventId, OCCURRED_AT));
    }

    static EventEnvelope envelope(EventType type) {
        return ENVELOPES.get(type);
    }

    static DomainEvent event(EventType type) {
        return envelope(type).payload();
    }
}
