package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.e2e.Journeys.Seats;
import dev.ticketing.e2e.PublicApi.Answer;
import dev.ticketing.e2e.PublicApi.Shopper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public API of DESIGN section 3 as a client meets it, through the gateway only: every route of a
 * purchase answers with the documented view, and every error code a client can provoke on its own comes
 * back as problem+json. Refusals change nothing: the state of every schema is the same before and after
 * a batch of them. (503 needs a service down and is the fault suite's; {@code IDEMPOTENCY_IN_PROGRESS}
 * needs a race and is tested in reservation-service's integration test.)
 */
class PublicApiEndToEndTest {

    private static Journeys journeys;
    private static PublicApi api;
    private static Stack stack;

    @BeforeAll
    static void start() {
        journeys = Journeys.shared();
        api = journeys.api;
        stack = journeys.stack;
    }

    @Test
    void everyRouteOfAPurchaseAnswersWithItsView() {
        long userId = journeys.nextUserId();
        String join = "{\"userId\":" + userId + "}";
        Answer joined = api.post("/queue/tokens", null, join).ok(201);
        String token = joined.body().path("token").asText();
        // Q1 again: the live token, byte for byte.
        Answer again = api.post("/queue/tokens", null, join).ok(200);
        assertThat(again.body().path("token").asText()).isEqualTo(token);
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACTIVE".equals(api.get("/queue/status", token).body().path("status").asText()));
        JsonNode view = api.get("/queue/status", token).ok(200).body();
        assertThat(view.path("userId").asLong()).isEqualTo(userId);
        assertThat(view.path("position").asLong()).isZero();
        assertThat(view.path("estimatedWaitSeconds").asLong()).isZero();
        assertThat(Instant.parse(view.path("activeUntil").asText())).isAfter(Instant.now());
        Shopper shopper = new Shopper(userId, token, PublicApi.tokenId(token));

        // C1, C2, C3
        JsonNode concerts = api.get("/concerts", null).ok(200).body().path("concerts");
        assertThat(concerts).extracting(c -> c.path("concertId").asLong()).contains(1L, 2L, 3L);
        assertThat(concerts.get(0).path("title").asText()).isNotBlank();
        Seats seats = journeys.seats(2);
        JsonNode schedules = api.get("/concerts/" + seats.concertId() + "/schedules", token).ok(200).body();
        assertThat(schedules.path("concertId").asLong()).isEqualTo(seats.concertId());
        List<Instant> starts = new ArrayList<>();
        schedules.path("schedules").forEach(s -> starts.add(Instant.parse(s.path("startsAt").asText())));
        assertThat(starts).isSorted().allSatisfy(s -> assertThat(s).isAfter(Instant.now()));
        JsonNode date = find(schedules.path("schedules"), "scheduleId", seats.scheduleId());
        assertThat(date.path("totalSeats").asInt()).isEqualTo(seats.totalSeats());
        assertThat(date.path("availableSeats").asInt()).isBetween(0, seats.totalSeats());
        assertThat(date.path("timeZone").asText()).isNotBlank();
        JsonNode seatMap = api.get("/concerts/" + seats.concertId() + "/schedules/" + seats.scheduleId() + "/seats", token)
                .ok(200).body();
        assertThat(seatMap.path("seats")).hasSize(seats.totalSeats())
                .allSatisfy(s -> assertThat(s.path("status").asText()).isIn("AVAILABLE", "HELD", "SOLD"));
        long expectedAmount = 0;
        for (int seatNo : seats.seatNos()) {
            JsonNode seat = find(seatMap.path("seats"), "seatNo", seatNo);
            assertThat(seat.path("status").asText()).isEqualTo("AVAILABLE");
            expectedAmount += seat.path("price").asLong();
        }

        // B1, B2 (with an Idempotency-Key, replayed), B3
        String balancePath = "/users/" + userId + "/balance";
        assertThat(api.get(balancePath, token).ok(200).body().path("balance").asLong()).isZero();
        Answer charged = api.send("POST", balancePath + "/charges", token, "{\"amount\":300000}", "charge-" + userId).ok(200);
        Answer replayed = api.send("POST", balancePath + "/charges", token, "{\"amount\":300000}", "charge-" + userId).ok(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.text()).isEqualTo(charged.text());
        assertThat(api.get(balancePath, token).ok(200).body().path("balance").asLong()).isEqualTo(300_000);

        // R1 (replayed too), R2
        Answer held = api.send("POST", "/reservations", token, seats.holdBody(), "hold-" + userId).ok(201);
        assertThat(api.send("POST", "/reservations", token, seats.holdBody(), "hold-" + userId).ok(201).text()).isEqualTo(held.text());
        JsonNode reservation = held.body();
        long reservationId = reservation.path("reservationId").asLong();
        assertThat(reservation.path("userId").asLong()).isEqualTo(userId);
        assertThat(reservation.path("concertId").asLong()).isEqualTo(seats.concertId());
        assertThat(reservation.path("scheduleId").asLong()).isEqualTo(seats.scheduleId());
        assertThat(reservation.path("seatNos")).extracting(JsonNode::asInt).containsExactlyElementsOf(seats.seatNos());
        assertThat(reservation.path("amount").asLong()).isEqualTo(expectedAmount);
        assertThat(reservation.path("status").asText()).isEqualTo("PENDING_PAYMENT");
        assertThat(Instant.parse(reservation.path("expiresAt").asText())).isAfter(Instant.now());
        assertThat(api.get("/reservations/" + reservationId, token).ok(200).body()).isEqualTo(reservation);

        // P1, P2, P3
        JsonNode payment = api.send("POST", "/payments", token, "{\"reservationId\":" + reservationId + "}", "pay-" + userId)
                .ok(201).body();
        long paymentId = payment.path("paymentId").asLong();
        assertThat(payment.path("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(payment.path("userId").asLong()).isEqualTo(userId);
        assertThat(payment.path("amount").asLong()).isEqualTo(expectedAmount);
        assertThat(payment.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(payment.path("balanceAfter").asLong()).isEqualTo(300_000 - expectedAmount);
        assertThat(payment.path("paidAt").asText()).isNotBlank();
        assertThat(api.get("/payments/" + paymentId, token).ok(200).body()).isEqualTo(payment);
        JsonNode payments = api.get("/users/" + userId + "/payments?page=0&size=1", token).ok(200).body();
        assertThat(payments.path("payments")).containsExactly(payment);
        assertThat(payments.path("page").asInt()).isZero();
        assertThat(payments.path("size").asInt()).isEqualTo(1);
        assertThat(payments.path("hasNext").asBoolean()).isFalse();

        JsonNode history = api.get(balancePath + "/history?page=0&size=20", token).ok(200).body();
        assertThat(history.path("entries")).extracting(e -> e.path("type").asText()).containsExactly("PAYMENT", "CHARGE");
        assertThat(history.path("entries").get(0).path("balanceAfter").asLong()).isEqualTo(300_000 - expectedAmount);
        assertThat(history.path("entries").get(0).path("reference").asLong()).isEqualTo(paymentId);
        assertThat(history.path("hasNext").asBoolean()).isFalse();
        JsonNode firstPage = api.get(balancePath + "/history?page=0&size=1", token).ok(200).body();
        assertThat(firstPage.path("hasNext").asBoolean()).isTrue();
        assertThat(api.get(balancePath + "/history?page=1&size=1", token).ok(200).body().path("entries").get(0).path("type").asText())
                .isEqualTo("CHARGE");

        // The saga ends the token; what was bought stays readable with it.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(journeys.reservationStatus(shopper, reservationId)).isEqualTo("CONFIRMED");
            assertThat(journeys.seatStatuses(seats)).containsOnly("SOLD");
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(api.get("/queue/status", token).ok(200).body().path("status").asText()).isEqualTo("EXPIRED"));
        JsonNode ended = api.get("/queue/status", token).ok(200).body();
        assertThat(ended.path("position").asLong()).isZero();
        assertThat(ended.path("estimatedWaitSeconds").isNull()).isTrue();
        assertThat(ended.path("activeUntil").asText()).isNotBlank();
        // The gateway may answer from its ACTIVE cache for up to its max age (1 s) after the token ended.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                api.get("/concerts/" + seats.concertId() + "/schedules", token).problem(401, "TOKEN_EXPIRED"));
        api.delete("/reservations/" + reservationId, token).problem(409, "RESERVATION_NOT_PENDING");
        // Paying again, with or without the key: the key replays the first answer, a new attempt is refused.
        assertThat(api.send("POST", "/payments", token, "{\"reservationId\":" + reservationId + "}", "pay-" + userId)
                .ok(201).header("Idempotent-Replayed")).isEqualTo("true");
        journeys.pay(shopper, reservationId).problem(409, "ALREADY_PAID");
        assertThat(journeys.balance(shopper)).isEqualTo(300_000 - expectedAmount);
    }

    @Test
    void theEdgeRefusesBeforeAnyServiceIsAsked() {
        Shopper shopper = journeys.buyer();
        String token = shopper.token();

        api.get("/no-such-route", null).problem(404, "NOT_FOUND");
        api.get("/internal/reservations/1", token).problem(404, "NOT_FOUND");
        api.exchange("GET", "/../../internal/tokens/" + shopper.tokenId(), Map.of("Queue-Token", token), null)
                .problem(404, "NOT_FOUND");
        api.send("PUT", "/queue/tokens", null, "{\"userId\":1}", null).problem(405, "METHOD_NOT_ALLOWED");
        api.delete("/concerts", null).problem(405, "METHOD_NOT_ALLOWED");
        String huge = "{\"scheduleId\":1,\"seatNos\":[1],\"pad\":\"" + "x".repeat(17 * 1024) + "\"}";
        api.post("/reservations", token, huge).problem(413, "PAYLOAD_TOO_LARGE");
        api.exchange("POST", "/reservations", Map.of("Queue-Token", token, "Content-Type", "text/plain"),
                "{\"scheduleId\":1,\"seatNos\":[1]}").problem(415, "UNSUPPORTED_MEDIA_TYPE");

        api.get("/queue/status", null).problem(401, "TOKEN_MISSING");
        api.get("/concerts/1/schedules", null).problem(401, "TOKEN_MISSING");
        api.get("/users/" + shopper.userId() + "/balance", null).problem(401, "TOKEN_MISSING");
        api.get("/queue/status", "not-a-jwt").problem(401, "TOKEN_INVALID");
        api.get("/concerts/1/schedules", forged(token)).problem(401, "TOKEN_INVALID");
        api.get("/users/" + shopper.userId() + "/balance", forged(token)).problem(401, "TOKEN_INVALID");
        // Open routes ignore a token, even a bad one.
        api.get("/concerts", "not-a-jwt").ok(200);

        // Identity comes from the token alone: a client's X-User-Id is dropped.
        long other = journeys.nextUserId();
        Answer own = api.exchange("GET", "/users/" + shopper.userId() + "/balance",
                Map.of("Queue-Token", token, "X-User-Id", Long.toString(other)), null).ok(200);
        assertThat(own.body().path("userId").asLong()).isEqualTo(shopper.userId());
        api.exchange("GET", "/users/" + other + "/balance", Map.of("Queue-Token", token, "X-User-Id", Long.toString(other)), null)
                .problem(403, "FORBIDDEN");
    }

    @Test
    void aGenuineTokenPastItsJwtExpiryIsRefusedAtTheEdge() {
        Shopper shopper = journeys.buyer();
        // The same user and token id, signed with the key queue-service signs with, issued 25 h ago: only the time is wrong.
        String expired = DevTokens.expired(shopper);
        // DESIGN section 3, check 4: past its JWT exp is TOKEN_INVALID, decided at the edge on every level
        // (TOKEN_EXPIRED is the queue's verdict on a token within its life, for admitted routes).
        api.get("/queue/status", expired).problem(401, "TOKEN_INVALID");
        api.get("/users/" + shopper.userId() + "/balance", expired).problem(401, "TOKEN_INVALID");
        api.get("/concerts/1/schedules", expired).problem(401, "TOKEN_INVALID");
        api.post("/users/" + shopper.userId() + "/balance/charges", expired, "{\"amount\":1}").problem(401, "TOKEN_INVALID");
        assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS);
        // The same claims with a life left are let through: the refusal above was the expiry, not the signing.
        String live = DevTokens.signed(shopper, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(1)));
        api.get("/concerts/1/schedules", live).ok(200);
    }

    @Test
    void aWaitingTokenIsIdentifiedButNotAdmitted() throws Exception {
        queue("{\"paused\":true}");
        String token;
        try {
            long userId = journeys.nextUserId();
            token = api.post("/queue/tokens", null, "{\"userId\":" + userId + "}").ok(201).body().path("token").asText();
            JsonNode view = api.get("/queue/status", token).ok(200).body();
            assertThat(view.path("status").asText()).isEqualTo("WAITING");
            assertThat(view.path("position").asLong()).isPositive();
            assertThat(view.path("estimatedWaitSeconds").isNull()).as("no estimate while paused: %s", view).isTrue();
            assertThat(view.path("activeUntil").isNull()).isTrue();
            api.get("/concerts/1/schedules", token).problem(403, "QUEUE_NOT_ADMITTED");
            api.post("/reservations", token, "{\"scheduleId\":1,\"seatNos\":[1]}").problem(403, "QUEUE_NOT_ADMITTED");
            // Identified routes need no admission.
            api.get("/users/" + userId + "/balance", token).ok(200);
        } finally {
            queue("{\"paused\":false}");
        }
        // The gateway kept no WAITING answer: once admitted, the same token is let through.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api.get("/concerts/1/schedules", token).ok(200));
    }

    @Test
    void tooManyRequestsOnOneTokenAreRefusedWithRetryAfter() {
        Shopper shopper = journeys.buyer();
        List<CompletableFuture<Answer>> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(api.sendAsync("GET", "/queue/status", shopper.token()));
        }
        List<Answer> answers = burst.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(Answer::status).containsOnly(200, 429).contains(429);
        answers.stream().filter(a -> a.status() == 429).forEach(a -> {
            a.problem(429, "RATE_LIMITED");
            assertThat(Long.parseLong(a.header("Retry-After"))).isPositive();
        });
        // Another user is not held back by this one's burst.
        journeys.balance(journeys.buyer());
    }

    @Test
    void refusedRequestsAnswerTheirCodeAndChangeNothing() throws Exception {
        Shopper owner = journeys.buyer();
        Shopper stranger = journeys.buyer();
        Seats sold = journeys.seats(2);
        long soldReservation = journeys.hold(owner, sold).path("reservationId").asLong();
        long paymentId = journeys.pay(owner, soldReservation).ok(201).body().path("paymentId").asLong();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(journeys.seatStatuses(sold)).containsOnly("SOLD"));
        long closedSchedule = insertScheduleThatHasStarted(sold.concertId());
        Shopper rich = journeys.buyer();
        fillToTheLimit(rich);
        journeys.settle();
        String before = SuiteState.read(stack.database());
        Map<String, Long> outboxBefore = SuiteState.outboxCounts(stack.database());

        String token = stranger.token();
        long me = stranger.userId();
        String hold = "/reservations";
        // 400: syntax and ranges
        api.post(hold, token, "{\"scheduleId\":").problem(400, "INVALID_REQUEST");
        api.post(hold, token, "[]").problem(400, "INVALID_REQUEST");
        api.post(hold, token, "{\"scheduleId\":\"1\",\"seatNos\":[1]}").problem(400, "INVALID_REQUEST");
        api.post(hold, token, "{\"seatNos\":[1]}").problem(400, "INVALID_REQUEST");
        for (String seatNos : List.of("[]", "[1,1]", "[1,2,3,4,5]", "[0]", "[-1]", "[" + (sold.totalSeats() + 1) + "]", "[1.5]", "null")) {
            api.post(hold, token, "{\"scheduleId\":" + sold.scheduleId() + ",\"seatNos\":" + seatNos + "}")
                    .problem(400, "INVALID_REQUEST");
        }
        api.post("/queue/tokens", null, "{\"userId\":0}").problem(400, "INVALID_REQUEST");
        api.post("/queue/tokens", null, "{\"userId\":-7}").problem(400, "INVALID_REQUEST");
        api.post("/queue/tokens", null, "{}").problem(400, "INVALID_REQUEST");
        for (String paging : List.of("page=-1", "size=0", "size=101", "page=x")) {
            api.get("/users/" + me + "/balance/history?" + paging, token).problem(400, "INVALID_REQUEST");
            api.get("/users/" + me + "/payments?" + paging, token).problem(400, "INVALID_REQUEST");
        }
        api.send("POST", "/users/" + me + "/balance/charges", token, "{\"amount\":1}", "k".repeat(256))
                .problem(400, "INVALID_REQUEST");
        api.post("/payments", token, "{\"reservationId\":\"x\"}").problem(400, "INVALID_REQUEST");
        api.post("/payments", token, "{\"reservationId\":0}").problem(400, "INVALID_REQUEST");
        for (String amount : List.of("0", "-5", "1.5", "1000001", "1e400")) {
            api.post("/users/" + me + "/balance/charges", token, "{\"amount\":" + amount + "}").problem(400, "INVALID_AMOUNT");
        }
        api.post("/users/" + me + "/balance/charges", token, "{\"amount\":\"100\"}").problem(400, "INVALID_REQUEST");
        api.post("/users/" + me + "/balance/charges", token, "{\"amount\":5,\"amount\":6}").problem(400, "INVALID_REQUEST");
        api.post(hold, token, "{\"scheduleId\":" + sold.scheduleId() + ",\"seatNos\":[1],\"seatNos\":[2]}")
                .problem(400, "INVALID_REQUEST");

        // 403: someone else's things
        long ownerId = owner.userId();
        api.get("/users/" + ownerId + "/balance", token).problem(403, "FORBIDDEN");
        api.post("/users/" + ownerId + "/balance/charges", token, "{\"amount\":5}").problem(403, "FORBIDDEN");
        api.get("/users/" + ownerId + "/balance/history", token).problem(403, "FORBIDDEN");
        api.get("/users/" + ownerId + "/payments", token).problem(403, "FORBIDDEN");
        api.get("/reservations/" + soldReservation, token).problem(403, "FORBIDDEN");
        api.delete("/reservations/" + soldReservation, token).problem(403, "FORBIDDEN");
        api.get("/payments/" + paymentId, token).problem(403, "FORBIDDEN");
        api.post("/payments", token, "{\"reservationId\":" + soldReservation + "}").problem(403, "FORBIDDEN");

        // 404: nothing of that id
        api.get("/concerts/999999/schedules", token).problem(404, "CONCERT_NOT_FOUND");
        api.get("/concerts/999999/schedules/1/seats", token).problem(404, "CONCERT_NOT_FOUND");
        api.get("/concerts/" + sold.concertId() + "/schedules/999999/seats", token).problem(404, "SCHEDULE_NOT_FOUND");
        long otherConcert = sold.concertId() % 3 + 1;
        api.get("/concerts/" + otherConcert + "/schedules/" + sold.scheduleId() + "/seats", token).problem(404, "SCHEDULE_NOT_FOUND");
        api.post(hold, token, "{\"scheduleId\":999999,\"seatNos\":[1]}").problem(404, "SCHEDULE_NOT_FOUND");
        api.get("/reservations/999999999", token).problem(404, "RESERVATION_NOT_FOUND");
        api.delete("/reservations/999999999", token).problem(404, "RESERVATION_NOT_FOUND");
        api.post("/payments", token, "{\"reservationId\":999999999}").problem(404, "RESERVATION_NOT_FOUND");
        api.get("/payments/999999999", token).problem(404, "PAYMENT_NOT_FOUND");

        // 409: the state says no
        Answer taken = api.post(hold, token, "{\"scheduleId\":" + sold.scheduleId() + ",\"seatNos\":"
                + List.of(sold.seatNos().get(0), sold.seatNos().get(1)) + "}").problem(409, "SEAT_UNAVAILABLE");
        assertThat(taken.body().path("seatNos")).extracting(JsonNode::asInt).containsExactlyElementsOf(sold.seatNos());
        api.post(hold, token, "{\"scheduleId\":" + closedSchedule + ",\"seatNos\":[1]}").problem(409, "SCHEDULE_CLOSED");
        api.post("/payments", owner.token(), "{\"reservationId\":" + soldReservation + "}").problem(409, "ALREADY_PAID");
        api.delete("/reservations/" + soldReservation, owner.token()).problem(409, "RESERVATION_NOT_PENDING");
        api.post("/users/" + rich.userId() + "/balance/charges", rich.token(), "{\"amount\":1}").problem(409, "BALANCE_LIMIT_EXCEEDED");

        journeys.settle();
        assertThat(SuiteState.read(stack.database())).isEqualTo(before);
        assertThat(SuiteState.outboxCounts(stack.database())).isEqualTo(outboxBefore);

        // 422: a key used for another body (after one charge with it, the one change this test makes)
        api.send("POST", "/users/" + ownerId + "/balance/charges", owner.token(), "{\"amount\":2}", "reused-" + ownerId).ok(200);
        journeys.settle();
        String charged = SuiteState.read(stack.database());
        Map<String, Long> outboxCharged = SuiteState.outboxCounts(stack.database());
        api.send("POST", "/users/" + ownerId + "/balance/charges", owner.token(), "{\"amount\":3}", "reused-" + ownerId)
                .problem(422, "IDEMPOTENCY_KEY_REUSED");
        journeys.settle();
        assertThat(SuiteState.read(stack.database())).isEqualTo(charged);
        assertThat(SuiteState.outboxCounts(stack.database())).isEqualTo(outboxCharged);
        assertThat(api.get("/concerts/" + sold.concertId() + "/schedules", token).ok(200).body().path("schedules"))
                .as("a date that has started is not listed")
                .noneMatch(s -> s.path("scheduleId").asLong() == closedSchedule);
    }

    @Test
    void aHoldIsRefusedWhileTheTokenHasOneAndAPaymentBeyondTheBalance() {
        Shopper shopper = journeys.buyer();
        Seats first = journeys.seats(1);
        long reservationId = journeys.hold(shopper, first).path("reservationId").asLong();
        api.post("/reservations", shopper.token(), journeys.seats(1).holdBody()).problem(409, "RESERVATION_LIMIT");
        api.delete("/reservations/" + reservationId, shopper.token()).ok(200);

        // Less than any seat costs.
        Shopper broke = api.admitted(journeys.nextUserId());
        api.post("/users/" + broke.userId() + "/balance/charges", broke.token(), "{\"amount\":1000}").ok(200);
        long tooDear = journeys.hold(broke, journeys.seats(1)).path("reservationId").asLong();
        journeys.pay(broke, tooDear).problem(409, "INSUFFICIENT_BALANCE");
        assertThat(journeys.balance(broke)).isEqualTo(1000);
        api.delete("/reservations/" + tooDear, broke.token()).ok(200);
    }

    // --- helpers

    private static JsonNode find(JsonNode array, String field, long value) {
        for (JsonNode item : array) {
            if (item.path(field).asLong() == value) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }

    /** The token with its last signature byte changed: genuine claims, a signature that does not match them. */
    private static String forged(String token) {
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[signature.length - 1] ^= 1;
        return parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** Charges to the 100,000,000 a balance may reach, waiting out the rate limit. */
    private static void fillToTheLimit(Shopper shopper) {
        long balance = journeys.balance(shopper);
        while (balance < 100_000_000) {
            long amount = Math.min(1_000_000, 100_000_000 - balance);
            Answer answer = api.post("/users/" + shopper.userId() + "/balance/charges", shopper.token(), "{\"amount\":" + amount + "}");
            if (answer.status() == 429) {
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
                continue;
            }
            balance = answer.ok(200).body().path("balance").asLong();
        }
    }

    /** A date of this concert that started an hour ago, as the catalogue keeps it after the show. */
    private static long insertScheduleThatHasStarted(long concertId) throws Exception {
        try (Connection c = SuiteState.connect(stack.database(), "concert")) {
            long scheduleId;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schedule (concert_id, starts_at, time_zone, seat_count) VALUES (?, ?, 'Asia/Seoul', 2)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, concertId);
                ps.setObject(2, LocalDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0));
                ps.executeUpdate();
                ResultSet keys = ps.getGeneratedKeys();
                keys.next();
                scheduleId = keys.getLong(1);
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO seat (schedule_id, seat_no, grade, price, status) VALUES ("
                        + scheduleId + ", 1, 'S', 50000, 'AVAILABLE'), (" + scheduleId + ", 2, 'S', 50000, 'AVAILABLE')");
            }
            return scheduleId;
        }
    }

    private static void queue(String change) {
        stack.operate("queue-service", "queue", change);
    }
}
