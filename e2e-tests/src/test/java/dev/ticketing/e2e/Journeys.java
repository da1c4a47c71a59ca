package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.e2e.PublicApi.Answer;
import dev.ticketing.e2e.PublicApi.Shopper;

import dev.ticketing.events.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The steps of a purchase through the gateway, shared by every end-to-end test class of the JVM so that
 * no two journeys use the same user or the same seat: users are numbered from the clock, and demo seats
 * are handed out schedule by schedule.
 */
final class Journeys {

    /** What every buyer is charged before a test spends it. */
    static final long FUNDS = 1_000_000;

    private static Journeys shared;

    final Stack stack;
    final PublicApi api;
    /** The topics, read as an analytics consumer would; open for the whole run. */
    final KafkaTopics topics;
    /** An admitted user who only browses: the buyers' tokens end when they pay, so seats are read with this one. */
    final Shopper browser;

    private final AtomicLong users = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);
    private final Map<Integer, Integer> usedSeats = new HashMap<>();
    private final Map<Integer, Long> concertOfSchedule = new HashMap<>();
    private final Map<Integer, Integer> seatsOfSchedule = new HashMap<>();

    private Journeys(Stack stack) {
        this.stack = stack;
        this.api = new PublicApi(stack.gateway());
        this.topics = new KafkaTopics(stack.kafka());
        this.browser = api.admitted(nextUserId());
        for (long concertId = 1; concertId <= 3; concertId++) {
            JsonNode schedules = api.get("/concerts/" + concertId + "/schedules", browser.token()).ok(200).body();
            for (JsonNode s : schedules.path("schedules")) {
                concertOfSchedule.put(s.path("scheduleId").asInt(), concertId);
                seatsOfSchedule.put(s.path("scheduleId").asInt(), s.path("totalSeats").asInt());
            }
        }
        assertThat(concertOfSchedule).as("demo schedules").hasSizeGreaterThanOrEqualTo(5);
    }

    static synchronized Journeys shared() {
        if (shared == null) {
            shared = new Journeys(Stack.shared());
        }
        return shared;
    }

    /**
     * Waits until every outbox is empty and every consumer group has taken every event, so that the
     * schemas stop changing and can be compared.
     */
    void settle() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                SuiteState.unsentOutboxRows(stack.database()) == 0
                        && topics.lag("concert-service", Topics.RESERVATION_EVENTS) == 0
                        && topics.lag("payment-service", Topics.RESERVATION_EVENTS) == 0
                        && topics.lag("reservation-service", Topics.PAYMENT_EVENTS) == 0
                        && topics.lag("queue-service", Topics.PAYMENT_EVENTS) == 0
                        && SuiteState.unsentOutboxRows(stack.database()) == 0);
    }

    /** A user id no other test of this run uses. */
    long nextUserId() {
        return users.incrementAndGet();
    }

    /** A user let in, with {@value #FUNDS} won to spend. */
    Shopper buyer() {
        Shopper shopper = api.admitted(nextUserId());
        charge(shopper, FUNDS);
        return shopper;
    }

    /** R1 of the seats, which must succeed; the reservation view. */
    JsonNode hold(Shopper shopper, Seats seats) {
        return api.post("/reservations", shopper.token(), seats.holdBody()).ok(201).body();
    }

    Answer charge(Shopper shopper, long amount) {
        return api.post("/users/" + shopper.userId() + "/balance/charges", shopper.token(), "{\"amount\":" + amount + "}").ok(200);
    }

    /** A charge of 1 won, whatever the answer: load that writes an event per request. */
    Answer chargeOneWon(Shopper shopper) {
        return api.post("/users/" + shopper.userId() + "/balance/charges", shopper.token(), "{\"amount\":1}");
    }

    long balance(Shopper shopper) {
        return api.get("/users/" + shopper.userId() + "/balance", shopper.token()).ok(200).body().path("balance").asLong();
    }

    Answer pay(Shopper shopper, long reservationId) {
        return api.post("/payments", shopper.token(), "{\"reservationId\":" + reservationId + "}");
    }

    String reservationStatus(Shopper shopper, long reservationId) {
        return api.get("/reservations/" + reservationId, shopper.token()).ok(200).body().path("status").asText();
    }

    /** The statuses of these seats in concert-service's seat map (C3), in seat order. */
    List<String> seatStatuses(Seats seats) {
        JsonNode all = api.get("/concerts/" + seats.concertId() + "/schedules/" + seats.scheduleId() + "/seats",
                browser.token()).ok(200).body().path("seats");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(s -> seats.seatNos().contains(s.path("seatNo").asInt()))
                .map(s -> s.path("status").asText()).toList();
    }

    /**
     * The next {@code n} unused seats of one demo schedule; once the demo dates are used up (the fault and
     * instance suites sell several hundred seats), of dates added for the suite ({@link #addDates}).
     */
    synchronized Seats seats(int n) {
        Seats found = unusedSeats(n);
        if (found == null) {
            addDates(10);
            found = unusedSeats(n);
        }
        if (found == null) {
            throw new IllegalStateException("out of seats");
        }
        return found;
    }

    /**
     * Adds {@code count} dates of 50 seats to demo concert 3, as an operator loads a catalogue (concert-service has
     * no public route that writes one): straight into concert-service's schema, a month and more ahead.
     */
    private void addDates(int count) {
        try (java.sql.Connection c = SuiteState.connect(stack.database(), "concert");
             java.sql.Statement st = c.createStatement()) {
            for (int i = 0; i < count; i++) {
                st.executeUpdate("INSERT INTO schedule (concert_id, starts_at, time_zone, seat_count) "
                        + "VALUES (3, DATE_ADD(UTC_TIMESTAMP(), INTERVAL 60 DAY), 'Asia/Seoul', 50)",
                        java.sql.Statement.RETURN_GENERATED_KEYS);
                int scheduleId;
                try (java.sql.ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    scheduleId = keys.getInt(1);
                }
                StringBuilder seats = new StringBuilder("INSERT INTO seat (schedule_id, seat_no, grade, price, status) VALUES ");
                for (int seat = 1; seat <= 50; seat++) {
                    seats.append(seat > 1 ? "," : "").append('(').append(scheduleId).append(',').append(seat).append(",'S',80000,'AVAILABLE')");
                }
                st.executeUpdate(seats.toString());
                concertOfSchedule.put(scheduleId, 3L);
                seatsOfSchedule.put(scheduleId, 50);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not add dates for the suite", e);
        }
    }

    private Seats unusedSeats(int n) {
        for (int scheduleId : concertOfSchedule.keySet().stream().sorted().toList()) {
            int used = usedSeats.getOrDefault(scheduleId, 0);
            if (used + n <= seatsOfSchedule.get(scheduleId)) {
                usedSeats.put(scheduleId, used + n);
                List<Integer> seatNos = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    seatNos.add(used + i);
                }
                return new Seats(concertOfSchedule.get(scheduleId), scheduleId, seatNos, seatsOfSchedule.get(scheduleId));
            }
        }
        return null;
    }

    /** Seats of one date; {@code totalSeats} is the date's seat count. */
    record Seats(long concertId, long scheduleId, List<Integer> seatNos, int totalSeats) {

        String holdBody() {
            return "{\"scheduleId\":" + scheduleId + ",\"seatNos\":" + seatNos + "}";
        }
    }
}
