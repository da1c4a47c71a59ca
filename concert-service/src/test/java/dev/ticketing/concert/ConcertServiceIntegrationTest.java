package dev.ticketing.concert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.RejectionReason;
import dev.ticketing.events.ReservationCancelled;
import dev.ticketing.events.ReservationConfirmed;
import dev.ticketing.events.ReservationCreated;
import dev.ticketing.events.ReservationEvent;
import dev.ticketing.events.ReservationExpired;
import dev.ticketing.events.ReservationRejected;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.outbox.ReliableProducer;
import dev.ticketing.testsupport.MutableClock;
import dev.ticketing.testsupport.TestInfrastructure;
import dev.ticketing.testsupport.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * concert-service on a real MariaDB and Kafka broker: the public reads and the internal layout
 * over HTTP, and the seat availability view fed through {@code reservation.events}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        // Not the service's own group: another test context in this JVM consumes the same topic.
        "spring.kafka.consumer.group-id=" + ConcertServiceIntegrationTest.GROUP})
@Import(MutableClock.InContext.class)
class ConcertServiceIntegrationTest {

    static final String GROUP = "concert-service-it";
    private static final KafkaTemplate<String, String> producer = ReliableProducer.template(TestKafka.bootstrapServers());
    // Schedule ids unique across runs, so records left on a shared broker by earlier runs match no date here.
    private static final AtomicLong scheduleIds = new AtomicLong(System.currentTimeMillis() * 100);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "concert_it");
    }

    @AfterAll
    static void closeProducer() {
        producer.getProducerFactory().reset();
    }

    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;

    private String base;
    private RestClient api;

    @BeforeEach
    void emptyCatalogue(@LocalServerPort int port) {
        base = "http://127.0.0.1:" + port;
        api = RestClient.builder().baseUrl(base)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
        jdbc.update("DELETE FROM seat");
        jdbc.update("DELETE FROM schedule");
        jdbc.update("DELETE FROM concert");
    }

    @Test
    void listsConcertsInIdOrder() {
        assertThat(get("/api/v1/concerts").getBody().path("concerts")).isEmpty();
        long first = concert("Aurora Strings", "Seoul Arts Center");
        long second = concert("Neon Harbor", "KSPO Dome");
        long third = concert("Jeju Jazz", "Jeju Arts Center");

        ResponseEntity<JsonNode> answer = get("/api/v1/concerts");

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(fields(answer.getBody())).containsExactly("concerts");
        JsonNode concerts = answer.getBody().path("concerts");
        assertThat(concerts).extracting(c -> c.path("concertId").asLong()).containsExactly(first, second, third);
        assertThat(fields(concerts.get(0))).containsExactly("concertId", "title", "venue");
        assertThat(concerts.get(1).path("title").asText()).isEqualTo("Neon Harbor");
        assertThat(concerts.get(1).path("venue").asText()).isEqualTo("KSPO Dome");
    }

    @Test
    void listsOnlyUpcomingDatesSoonestFirstWithTheirAvailableSeats() {
        long concert = concert("Aurora Strings", "Seoul Arts Center");
        long otherConcert = concert("Neon Harbor", "KSPO Dome");
        Instant now = clock.instant();
        schedule(concert, now.minus(Duration.ofDays(1)), 10);
        schedule(concert, now, 10); // starting this instant is no longer upcoming
        long later = schedule(concert, now.plus(Duration.ofDays(3)), 10);
        long sooner = schedule(concert, now.plus(Duration.ofHours(1)), 8);
        schedule(otherConcert, now.plus(Duration.ofMinutes(30)), 5);
        markSeat(sooner, 1, "HELD", 501);
        markSeat(sooner, 2, "SOLD", 502);
        markSeat(later, 10, "HELD", 503);

        ResponseEntity<JsonNode> answer = get("/api/v1/concerts/{c}/schedules", concert);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        JsonNode body = answer.getBody();
        assertThat(fields(body)).containsExactly("concertId", "schedules");
        assertThat(body.path("concertId").asLong()).isEqualTo(concert);
        JsonNode schedules = body.path("schedules");
        assertThat(schedules).extracting(s -> s.path("scheduleId").asLong()).containsExactly(sooner, later);
        JsonNode first = schedules.get(0);
        assertThat(fields(first)).containsExactly("scheduleId", "startsAt", "timeZone", "totalSeats", "availableSeats");
        assertThat(first.path("startsAt").asText()).isEqualTo(now.plus(Duration.ofHours(1)).toString());
        assertThat(first.path("timeZone").asText()).isEqualTo("Asia/Seoul");
        assertThat(first.path("totalSeats").asInt()).isEqualTo(8);
        assertThat(first.path("availableSeats").asInt()).isEqualTo(6);
        assertThat(schedules.get(1).path("totalSeats").asInt()).isEqualTo(10);
        assertThat(schedules.get(1).path("availableSeats").asInt()).isEqualTo(9);

        clock.advance(Duration.ofHours(2));
        assertThat(get("/api/v1/concerts/{c}/schedules", concert).getBody().path("schedules"))
                .extracting(s -> s.path("scheduleId").asLong()).containsExactly(later);
        clock.advance(Duration.ofDays(3));
        ResponseEntity<JsonNode> allPast = get("/api/v1/concerts/{c}/schedules", concert);
        assertThat(allPast.getStatusCode().value()).isEqualTo(200);
        assertThat(allPast.getBody().path("schedules")).isEmpty();
    }

    @Test
    void listsEverySeatOfADateInSeatOrderWithGradePriceAndStatus() {
        long concert = concert("Aurora Strings", "Seoul Arts Center");
        long schedule = schedule(concert, clock.instant().plus(Duration.ofDays(1)), 12);
        markSeat(schedule, 3, "HELD", 701);
        markSeat(schedule, 12, "SOLD", 702);

        ResponseEntity<JsonNode> answer = get("/api/v1/concerts/{c}/schedules/{s}/seats", concert, schedule);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(fields(answer.getBody())).containsExactly("scheduleId", "seats");
        assertThat(answer.getBody().path("scheduleId").asLong()).isEqualTo(schedule);
        JsonNode seats = answer.getBody().path("seats");
        assertThat(seats).hasSize(12);
        assertThat(fields(seats.get(0))).containsExactly("seatNo", "grade", "price", "status");
        for (int i = 0; i < 12; i++) {
            int seatNo = i + 1;
            JsonNode seat = seats.get(i);
            assertThat(seat.path("seatNo").asInt()).isEqualTo(seatNo);
            assertThat(seat.path("grade").asText()).isEqualTo(grade(seatNo));
            assertThat(seat.path("price").asLong()).isEqualTo(price(seatNo));
            assertThat(seat.path("status").asText()).isEqualTo(seatNo == 3 ? "HELD" : seatNo == 12 ? "SOLD" : "AVAILABLE");
        }
    }

    @Test
    void answersNotFoundWithTheCodeOfWhatIsMissing() {
        long concert = concert("Aurora Strings", "Seoul Arts Center");
        long otherConcert = concert("Neon Harbor", "KSPO Dome");
        long schedule = schedule(concert, clock.instant().plus(Duration.ofDays(1)), 5);
        long othersSchedule = schedule(otherConcert, clock.instant().plus(Duration.ofDays(1)), 5);
        long noConcert = otherConcert + 1000;
        long noSchedule = scheduleIds.incrementAndGet();

        assertProblem(get("/api/v1/concerts/{c}/schedules", noConcert), 404, "CONCERT_NOT_FOUND");
        assertProblem(get("/api/v1/concerts/{c}/schedules/{s}/seats", noConcert, schedule), 404, "CONCERT_NOT_FOUND");
        assertProblem(get("/api/v1/concerts/{c}/schedules/{s}/seats", noConcert, noSchedule), 404, "CONCERT_NOT_FOUND");
        assertProblem(get("/api/v1/concerts/{c}/schedules/{s}/seats", concert, noSchedule), 404, "SCHEDULE_NOT_FOUND");
        assertProblem(get("/api/v1/concerts/{c}/schedules/{s}/seats", concert, othersSchedule), 404, "SCHEDULE_NOT_FOUND");
        assertProblem(get("/internal/schedules/{s}", noSchedule), 404, "SCHEDULE_NOT_FOUND");
        // A known concert without upcoming dates is not an error.
        long quiet = concert("Jeju Jazz", "Jeju Arts Center");
        assertThat(get("/api/v1/concerts/{c}/schedules", quiet).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void refusesPathIdsThatAreNotPositiveLongsOnEveryRoute() {
        long concert = concert("Aurora Strings", "Seoul Arts Center");
        long schedule = schedule(concert, clock.instant().plus(Duration.ofDays(1)), 5);
        Map<String, String> routes = Map.of(
                "/api/v1/concerts/%s/schedules", "concertId",
                "/api/v1/concerts/%s/schedules/" + schedule + "/seats", "concertId",
                "/api/v1/concerts/" + concert + "/schedules/%s/seats", "scheduleId",
                "/internal/schedules/%s", "scheduleId");
        routes.forEach((route, parameter) -> {
            for (String bad : List.of("abc", "0", "-1", "99999999999999999999", "1.5", "0x10", "+7", "%20", "007")) {
                String path = route.formatted(bad);
                // Sent as written: "%20" is a space in the path, not a percent sign.
                ResponseEntity<JsonNode> answer = api.get().uri(URI.create(base + path)).retrieve().toEntity(JsonNode.class);
                assertProblem(answer, 400, "INVALID_REQUEST", path);
                assertThat(answer.getBody().path("detail").asText()).as(path).contains("'" + parameter + "'");
            }
        });
    }

    /** Every seat of the catalogue has a price to pay: the database refuses a seat priced 0 or less. */
    @Test
    void refusesToStoreASeatWithoutAPrice() {
        long concert = concert("Free Rehearsal", "Seoul Arts Center");
        long schedule = schedule(concert, clock.instant().plus(Duration.ofDays(2)), 1);

        for (long price : new long[] {0, -1}) {
            assertThatThrownBy(() -> jdbc.update("INSERT INTO seat (schedule_id, seat_no, grade, price) VALUES (?, 2, 'R', ?)",
                    schedule, price)).as("a seat priced %d", price).isInstanceOf(DataIntegrityViolationException.class);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seat WHERE schedule_id = ?", Long.class, schedule)).isEqualTo(1);
    }

    @Test
    void servesADatesLayoutToReservationService() {
        long concert = concert("Aurora Strings", "Seoul Arts Center");
        Instant startsAt = clock.instant().plus(Duration.ofDays(2));
        long schedule = schedule(concert, startsAt, 7);
        markSeat(schedule, 2, "SOLD", 801); // availability is not part of the layout

        ResponseEntity<JsonNode> answer = get("/internal/schedules/{s}", schedule);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        JsonNode body = answer.getBody();
        assertThat(fields(body)).containsExactly("scheduleId", "concertId", "startsAt", "seatCount", "seats");
        assertThat(body.path("scheduleId").asLong()).isEqualTo(schedule);
        assertThat(body.path("concertId").asLong()).isEqualTo(concert);
        assertThat(Instant.parse(body.path("startsAt").asText())).isEqualTo(startsAt);
        assertThat(body.path("seatCount").asInt()).isEqualTo(7);
        assertThat(body.path("seats")).hasSize(7);
        assertThat(fields(body.path("seats").get(0))).containsExactly("seatNo", "grade", "price");
        for (JsonNode seat : body.path("seats")) {
            int seatNo = seat.path("seatNo").asInt();
            assertThat(seat.path("grade").asText()).isEqualTo(grade(seatNo));
            assertThat(seat.path("price").asLong()).isEqualTo(price(seatNo));
        }
        assertThat(body.path("seats")).extracting(s -> s.path("seatNo").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void keepsEverySeatAsTheEventsImplyThroughABurstWithRedeliveriesAndStaleReleases() throws Exception {
        int seatCount = 50;
        long concert = concert("Aurora Strings", "Seoul Arts Center");
        long schedule = schedule(concert, clock.instant().plus(Duration.ofDays(1)), seatCount);
        Burst burst = new Burst(concert, schedule, seatCount, new Random(20_240_611L));

        // Scripted first: a release arriving after its seat was held again, a confirmation whose
        // Created never arrived, and a seat number the date does not have.
        burst.create(1001, List.of(1, 2));
        ReservationExpired firstRelease = burst.expire(1001);
        burst.create(1002, List.of(2, 3));
        burst.send(firstRelease); // the same release again, under a new event id
        burst.createUnseen(1003, List.of(4));
        burst.confirm(1003);
        burst.create(1004, List.of(5, seatCount + 7));
        // Then a random mix, as reservation-service would publish it, with redeliveries and stale releases.
        burst.randomWalk(120, 2000);
        EventEnvelope elsewhere = burst.sendOnUnknownSchedule(scheduleIds.incrementAndGet());
        EventEnvelope marker = burst.send(new ReservationCancelled(999, 1, schedule, List.of(1)));

        List<CompletableFuture<SendResult<String, String>>> sends = new ArrayList<>();
        for (EventEnvelope envelope : burst.sent) {
            sends.add(producer.send(Topics.RESERVATION_EVENTS, envelope.key(), EventJson.write(envelope)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // One partition per schedule: once the last record is applied, so is everything before it.
        await().atMost(Duration.ofSeconds(60)).until(() -> processed(marker) && processed(elsewhere));

        assertThat(burst.sent.stream().map(EventEnvelope::eventId).distinct().count()).as("some records went twice")
                .isLessThan(burst.sent.size());
        Map<Integer, SeatState> expected = expectedView(burst.sent, schedule, seatCount);
        assertThat(expected.values()).extracting(SeatState::status).as("the burst leaves every kind of seat")
                .contains("AVAILABLE", "HELD", "SOLD");
        assertThat(expected.get(2)).as("the stale release left the later hold alone").isEqualTo(new SeatState("HELD", 1002L));
        assertThat(expected.get(4)).as("sold though its hold was never seen").isEqualTo(new SeatState("SOLD", 1003L));
        assertThat(expected.get(5)).isEqualTo(new SeatState("HELD", 1004L));
        assertThat(seatsInDatabase(schedule)).isEqualTo(expected);
        assertThat(expected).as("the view ends where reservation-service is").isEqualTo(burst.truth());
        JsonNode seats = get("/api/v1/concerts/{c}/schedules/{s}/seats", concert, schedule).getBody().path("seats");
        for (JsonNode seat : seats) {
            assertThat(seat.path("status").asText()).isEqualTo(expected.get(seat.path("seatNo").asInt()).status());
        }
        long available = expected.values().stream().filter(s -> s.status().equals("AVAILABLE")).count();
        assertThat(get("/api/v1/concerts/{c}/schedules", concert).getBody().path("schedules").get(0).path("availableSeats").asLong())
                .isEqualTo(available);
    }

    /** The view's rules applied to the sent records in order, each event id once. */
    private static Map<Integer, SeatState> expectedView(List<EventEnvelope> sent, long scheduleId, int seatCount) {
        Map<Integer, SeatState> seats = new TreeMap<>();
        for (int seatNo = 1; seatNo <= seatCount; seatNo++) {
            seats.put(seatNo, SeatState.FREE);
        }
        Set<UUID> applied = new HashSet<>();
        for (EventEnvelope envelope : sent) {
            ReservationEvent event = (ReservationEvent) envelope.payload();
            if (event.scheduleId() != scheduleId || !applied.add(envelope.eventId())) {
                continue;
            }
            long id = event.reservationId();
            if (event instanceof ReservationCreated created) {
                forKnownSeats(seats, created.seatNos(), s -> s.isFree() || s.isHeldBefore(id) ? new SeatState("HELD", id) : s);
            } else if (event instanceof ReservationConfirmed confirmed) {
                forKnownSeats(seats, confirmed.seatNos(),
                        s -> s.isFree() || s.isHeldBefore(id + 1) ? new SeatState("SOLD", id) : s);
            } else if (event instanceof ReservationExpired expired) {
                forKnownSeats(seats, expired.seatNos(), s -> s.isHeldBy(id) ? SeatState.FREE : s);
            } else if (event instanceof ReservationCancelled cancelled) {
                forKnownSeats(seats, cancelled.seatNos(), s -> s.isHeldBy(id) ? SeatState.FREE : s);
            }
            // ReservationRejected: no seat changes.
        }
        return seats;
    }

    private static void forKnownSeats(Map<Integer, SeatState> seats, List<Integer> seatNos,
                                      java.util.function.UnaryOperator<SeatState> change) {
        for (int seatNo : seatNos) {
            seats.computeIfPresent(seatNo, (n, s) -> change.apply(s));
        }
    }

    record SeatState(String status, Long reservationId) {
        static final SeatState FREE = new SeatState("AVAILABLE", null);

        boolean isFree() {
            return status.equals("AVAILABLE");
        }

        boolean isHeldBy(long id) {
            return status.equals("HELD") && reservationId == id;
        }

        boolean isHeldBefore(long id) {
            return status.equals("HELD") && reservationId < id;
        }
    }

    /**
     * Plays reservation-service for one date: decides holds as the authority would (a seat held
     * by one live reservation at a time) and records the events it would publish, plus the
     * redeliveries and stale releases the view must withstand.
     */
    private final class Burst {
        final List<EventEnvelope> sent = new ArrayList<>();
        private final long concertId;
        private final long scheduleId;
        private final int seatCount;
        private final Random random;
        private final Map<Integer, Long> holders = new HashMap<>();
        private final Map<Long, List<Integer>> pending = new LinkedHashMap<>();
        private final Set<Long> confirmed = new HashSet<>();
        private final List<ReservationEvent> releases = new ArrayList<>();

        Burst(long concertId, long scheduleId, int seatCount, Random random) {
            this.concertId = concertId;
            this.scheduleId = scheduleId;
            this.seatCount = seatCount;
            this.random = random;
        }

        void create(long reservationId, List<Integer> seatNos) {
            createUnseen(reservationId, seatNos);
            send(new ReservationCreated(reservationId, userOf(reservationId), UUID.randomUUID().toString(), concertId,
                    scheduleId, seatNos, 100_000L * seatNos.size(), clock.instant().plus(Duration.ofMinutes(5))));
        }

        /** The hold is made, but its ReservationCreated never reaches the view. */
        void createUnseen(long reservationId, List<Integer> seatNos) {
            for (int seatNo : seatNos) {
                if (seatNo <= seatCount && holders.putIfAbsent(seatNo, reservationId) != null) {
                    throw new IllegalStateException("seat " + seatNo + " is taken");
                }
            }
            pending.put(reservationId, seatNos);
        }

        void confirm(long reservationId) {
            List<Integer> seatNos = pending.remove(reservationId);
            confirmed.add(reservationId);
            send(new ReservationConfirmed(reservationId, userOf(reservationId), scheduleId, seatNos, reservationId + 50_000));
        }

        ReservationExpired expire(long reservationId) {
            ReservationExpired expired = new ReservationExpired(reservationId, userOf(reservationId), scheduleId, free(reservationId));
            send(expired);
            releases.add(expired);
            return expired;
        }

        void cancel(long reservationId) {
            ReservationCancelled cancelled = new ReservationCancelled(reservationId, userOf(reservationId), scheduleId,
                    free(reservationId));
            send(cancelled);
            releases.add(cancelled);
        }

        void randomWalk(int steps, long firstReservationId) {
            long nextId = firstReservationId;
            for (int step = 0; step < steps; step++) {
                double roll = random.nextDouble();
                List<Integer> free = new ArrayList<>();
                for (int seatNo = 1; seatNo <= seatCount; seatNo++) {
                    if (!holders.containsKey(seatNo)) {
                        free.add(seatNo);
                    }
                }
                if (roll < 0.1) {
                    redeliver(sent.get(random.nextInt(sent.size())));
                } else if (roll < 0.15 && !releases.isEmpty()) {
                    // The same release again under a new event id, after its seats may have been held again.
                    send(releases.get(random.nextInt(releases.size())));
                } else if (!free.isEmpty() && roll < 0.6 && pending.size() < 6) { // as many holds as a busy date has
                    Collections.shuffle(free, random);
                    List<Integer> seatNos = new ArrayList<>(free.subList(0, Math.min(free.size(), 1 + random.nextInt(4))));
                    Collections.sort(seatNos);
                    create(nextId++, seatNos);
                } else {
                    // The scripted reservations are left as they are, so their outcome can be named.
                    List<Long> live = pending.keySet().stream().filter(id -> id >= firstReservationId).toList();
                    if (live.isEmpty()) {
                        continue;
                    }
                    long reservationId = live.get(random.nextInt(live.size()));
                    double outcome = random.nextDouble();
                    if (outcome < 0.2) {
                        confirm(reservationId);
                    } else if (outcome < 0.7) {
                        expire(reservationId);
                        if (random.nextBoolean()) { // a payment that came too late
                            send(new ReservationRejected(reservationId, userOf(reservationId), scheduleId,
                                    reservationId + 50_000, RejectionReason.HOLD_EXPIRED));
                        }
                    } else {
                        cancel(reservationId);
                    }
                }
            }
        }

        EventEnvelope sendOnUnknownSchedule(long unknownScheduleId) {
            return send(new ReservationCreated(9_999, 9, UUID.randomUUID().toString(), concertId, unknownScheduleId,
                    List.of(1, 2), 1, clock.instant()));
        }

        EventEnvelope send(ReservationEvent event) {
            EventEnvelope envelope = EventEnvelope.of(event, UUID.randomUUID(), clock.instant());
            sent.add(envelope);
            return envelope;
        }

        /** The same record again, as Kafka delivers it after a consumer restart. */
        void redeliver(EventEnvelope envelope) {
            sent.add(envelope);
        }

        /** Each seat as reservation-service holds it at the end. */
        Map<Integer, SeatState> truth() {
            Map<Integer, SeatState> seats = new TreeMap<>();
            for (int seatNo = 1; seatNo <= seatCount; seatNo++) {
                Long holder = holders.get(seatNo);
                seats.put(seatNo, holder == null ? SeatState.FREE
                        : new SeatState(confirmed.contains(holder) ? "SOLD" : "HELD", holder));
            }
            return seats;
        }

        private List<Integer> free(long reservationId) {
            List<Integer> seatNos = pending.remove(reservationId);
            seatNos.forEach(seatNo -> holders.remove(seatNo, reservationId));
            return seatNos;
        }

        private long userOf(long reservationId) {
            return reservationId % 97 + 1;
        }
    }

    private boolean processed(EventEnvelope envelope) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM processed_event WHERE consumer_group = ? AND event_id = ?",
                Long.class, GROUP, envelope.eventId().toString()) == 1;
    }

    private Map<Integer, SeatState> seatsInDatabase(long scheduleId) {
        Map<Integer, SeatState> seats = new TreeMap<>();
        jdbc.query("SELECT seat_no, status, reservation_id FROM seat WHERE schedule_id = ?", rs -> {
            long holder = rs.getLong("reservation_id");
            Long reservationId = rs.wasNull() ? null : holder;
            seats.put(rs.getInt("seat_no"), new SeatState(rs.getString("status"), reservationId));
        }, scheduleId);
        return seats;
    }

    private long concert(String title, String venue) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO concert (title, venue) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            insert.setString(1, title);
            insert.setString(2, venue);
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    /** A date with seats 1..seatCount, graded as {@link #grade} and priced as {@link #price}. */
    private long schedule(long concertId, Instant startsAt, int seatCount) {
        long scheduleId = scheduleIds.incrementAndGet();
        jdbc.update("INSERT INTO schedule (schedule_id, concert_id, starts_at, time_zone, seat_count) VALUES (?, ?, ?, ?, ?)",
                scheduleId, concertId, LocalDateTime.ofInstant(startsAt, ZoneOffset.UTC), "Asia/Seoul", seatCount);
        List<Object[]> seats = new ArrayList<>();
        for (int seatNo = 1; seatNo <= seatCount; seatNo++) {
            seats.add(new Object[] {scheduleId, seatNo, grade(seatNo), price(seatNo)});
        }
        jdbc.batchUpdate("INSERT INTO seat (schedule_id, seat_no, grade, price) VALUES (?, ?, ?, ?)", seats);
        return scheduleId;
    }

    private void markSeat(long scheduleId, int seatNo, String status, long reservationId) {
        jdbc.update("UPDATE seat SET status = ?, reservation_id = ? WHERE schedule_id = ? AND seat_no = ?",
                status, reservationId, scheduleId, seatNo);
    }

    private static String grade(int seatNo) {
        return seatNo <= 2 ? "VIP" : seatNo <= 6 ? "R" : "S";
    }

    private static long price(int seatNo) {
        return seatNo <= 2 ? 150_000 : seatNo <= 6 ? 110_000 : 80_000;
    }

    private ResponseEntity<JsonNode> get(String uri, Object... variables) {
        return api.get().uri(uri, variables).retrieve().toEntity(JsonNode.class);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertProblem(ResponseEntity<JsonNode> answer, int status, String code) {
        assertProblem(answer, status, code, "");
    }

    private static void assertProblem(ResponseEntity<JsonNode> answer, int status, String code, String what) {
        assertThat(answer.getStatusCode().value()).as(what).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).as(what).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().path("code").asText()).as(what).isEqualTo(code);
    }
}
