package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticketing.events.EventFormatException.Kind;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    // --- writing

    @Test
    void writesEnvelopeFieldsInContractOrder() throws Exception {
        JsonNode json = PLAIN.readTree(EventJson.write(Samples.envelope(EventType.RESERVATION_CREATED)));

        assertThat(json.fieldNames()).toIterable().containsExactly(
                "eventId", "eventType", "schemaVersion", "occurredAt", "aggregateType", "aggregateId", "payload");
        assertThat(json.get("payload").fieldNames()).toIterable().containsExactly(
                "reservationId", "userId", "queueTokenId", "concertId", "scheduleId", "seatNos", "amount", "expiresAt");
    }

    @Test
    void writesInstantsAsIsoTextAndEnumsByName() throws Exception {
        JsonNode json = PLAIN.readTree(EventJson.write(Samples.envelope(EventType.RESERVATION_REJECTED)));
        JsonNode created = PLAIN.readTree(EventJson.write(Samples.envelope(EventType.RESERVATION_CREATED)));

        assertThat(json.get("occurredAt").isTextual()).isTrue();
        assertThat(json.get("occurredAt").textValue()).isEqualTo("2026-11-23T10:15:30Z");
        assertThat(created.at("/payload/expiresAt").textValue()).isEqualTo("2026-11-23T10:20:30Z");
        assertThat(json.at("/payload/reason").textValue()).isEqualTo("HOLD_EXPIRED");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesNoDerivedMethodsIntoPayload(EventType type) throws Exception {
        JsonNode payload = PLAIN.readTree(EventJson.write(Samples.envelope(type))).get("payload");

        assertThat(payload.fieldNames()).toIterable()
                .doesNotContain("aggregateType", "aggregateId", "topic", "key", "eventType", "schemaVersion");
        assertThat(payload.size()).isEqualTo(type.eventClass().getRecordComponents().length);
    }

    @Test
    void keepsEnvelopeTopicAndKeyOutOfJson() throws Exception {
        JsonNode json = PLAIN.readTree(EventJson.write(Samples.envelope(EventType.PAYMENT_COMPLETED)));

        assertThat(json.has("topic")).isFalse();
        assertThat(json.has("key")).isFalse();
    }

    @Test
    void handsOutMapperCopiesThatCannotChangeTheContract() throws Exception {
        EventJson.mapper().enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        JsonNode json = PLAIN.readTree(EventJson.write(Samples.envelope(EventType.QUEUE_TOKEN_ISSUED)));

        assertThat(json.get("occurredAt").isTextual()).isTrue();
    }

    // --- reading: tolerance

    @Test
    void ignoresUnknownFields() {
        String json = sampleJson(EventType.RESERVATION_CREATED, root -> {
            root.put("producer", "reservation-service");
            root.putObject("extra").put("nested", true);
            payload(root).put("seatGrade", "VIP");
            payload(root).putArray("futureList").add(1);
        });

        assertThat(EventJson.read(json)).isEqualTo(Samples.envelope(EventType.RESERVATION_CREATED));
    }

    @Test
    void readsEnvelopeFieldsInAnyOrder() {
        String json = "{\"payload\":{\"waitedMillis\":95000,\"userId\":42,\"tokenId\":\"3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f\"},"
                + "\"aggregateId\":\"3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f\",\"aggregateType\":\"QueueToken\","
                + "\"occurredAt\":\"2026-11-23T10:15:30Z\",\"schemaVersion\":1,\"eventType\":\"QueueTokenActivated\","
                + "\"eventId\":\"8d0f4a52-6c1e-4c47-9b3a-2f1e0d9c8b10\"}";

        assertThat(EventJson.read(json)).isEqualTo(Samples.envelope(EventType.QUEUE_TOKEN_ACTIVATED));
    }

    @Test
    void readsInstantsWithFractionsOfSeconds() {
        String json = sampleJson(EventType.PAYMENT_COMPLETED,
                root -> root.put("occurredAt", "2026-11-23T10:15:30.123456789Z"));

        assertThat(EventJson.read(json).occurredAt()).isEqualTo("2026-11-23T10:15:30.123456789Z");
    }

    // --- reading: envelope problems are MALFORMED

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"eventId\":", "", "   ", "[1,2]", "42", "\"text\"", "null",
            "{\"eventType\":\"QueueTokenIssued\"} trailing"})
    void rejectsTextThatIsNotAJsonObjectAsMalformed(String text) {
        EventFormatException e = readFailure(text);

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.eventType()).isEmpty();
    }

    @Test
    void rejectsNullInputAsMalformed() {
        assertThat(catchThrowableOfType(EventFormatException.class, () -> EventJson.read((String) null)).kind())
                .isEqualTo(Kind.MALFORMED);
        assertThat(catchThrowableOfType(EventFormatException.class, () -> EventJson.read((byte[]) null)).kind())
                .isEqualTo(Kind.MALFORMED);
    }

    @Test
    void rejectsInvalidUtf8BytesAsMalformed() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThat(catchThrowableOfType(EventFormatException.class, () -> EventJson.read(bytes)).kind())
                .isEqualTo(Kind.MALFORMED);
    }

    @Test
    void rejectsDuplicateFieldsAsMalformed() {
        String json = EventJson.write(Samples.envelope(EventType.QUEUE_TOKEN_ISSUED))
                .replaceFirst("\\{", "{\"eventType\":\"QueueTokenIssued\",");

        assertThat(readFailure(json).kind()).isEqualTo(Kind.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "eventType", "schemaVersion", "occurredAt", "aggregateType", "aggregateId", "payload"})
    void rejectsMissingEnvelopeFieldAsMalformedNamingIt(String field) {
        EventFormatException e = readFailure(sampleJson(EventType.RESERVATION_CONFIRMED, root -> root.remove(field)));

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).contains("'" + field + "'").contains("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "eventType", "schemaVersion", "occurredAt", "aggregateType", "aggregateId", "payload"})
    void rejectsNullEnvelopeFieldAsMalformedNamingIt(String field) {
        EventFormatException e = readFailure(sampleJson(EventType.RESERVATION_CONFIRMED, root -> root.putNull(field)));

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).contains("'" + field + "'").contains("null");
    }

    @Test
    void reportsReadableEventTypeOnMalformedEnvelope() {
        EventFormatException e = readFailure(sampleJson(EventType.RESERVATION_CONFIRMED, root -> root.remove("eventId")));

        assertThat(e.eventType()).contains("ReservationConfirmed");
    }

    @Test
    void rejectsEnvelopeFieldsOfWrongTypeAsMalformed() {
        assertMalformed(root -> root.put("eventId", "not-a-uuid"), "eventId");
        assertMalformed(root -> root.put("eventId", 12), "eventId");
        assertMalformed(root -> root.put("schemaVersion", "1"), "schemaVersion");
        assertMalformed(root -> root.put("schemaVersion", 1.5), "schemaVersion");
        assertMalformed(root -> root.put("occurredAt", 1795428930), "occurredAt");
        assertMalformed(root -> root.put("occurredAt", "yesterday"), "occurredAt");
        assertMalformed(root -> root.put("eventType", 7), "eventType");
        assertMalformed(root -> root.put("eventType", " "), "eventType");
        assertMalformed(root -> root.put("aggregateId", 5001), "aggregateId");
        assertMalformed(root -> root.putArray("payload"), "payload");
    }

    @Test
    void rejectsEnvelopeThatDisagreesWithItsPayloadAsMalformed() {
        assertMalformed(root -> root.put("aggregateId", "5002"), "aggregateId");
        assertMalformed(root -> root.put("aggregateType", "Payment"), "aggregateType");
    }

    // --- reading: type and version

    @Test
    void rejectsUnknownEventTypeSoConsumersCanSkipIt() {
        String json = sampleJson(EventType.RESERVATION_CREATED, root -> {
            root.put("eventType", "SeatUpgraded");
            root.put("schemaVersion", 3);
            root.set("payload", PLAIN.createObjectNode().put("anything", 1));
        });

        EventFormatException e = readFailure(json);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_EVENT_TYPE);
        assertThat(e.eventType()).contains("SeatUpgraded");
        assertThat(e.getMessage()).contains("SeatUpgraded");
    }

    @Test
    void matchesEventTypeCaseSensitively() {
        EventFormatException e = readFailure(
                sampleJson(EventType.RESERVATION_CREATED, root -> root.put("eventType", "reservationCreated")));

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_EVENT_TYPE);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 0, -1})
    void rejectsSchemaVersionOtherThanCurrent(int version) {
        EventFormatException e = readFailure(
                sampleJson(EventType.PAYMENT_COMPLETED, root -> root.put("schemaVersion", version)));

        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_SCHEMA_VERSION);
        assertThat(e.eventType()).contains("PaymentCompleted");
        assertThat(e.getMessage()).contains("schemaVersion " + version);
    }

    @Test
    void checksSchemaVersionBeforeBindingPayload() {
        // A version-2 payload may look nothing like version 1: it must not be reported as invalid.
        String json = sampleJson(EventType.PAYMENT_COMPLETED, root -> {
            root.put("schemaVersion", 2);
            root.set("payload", PLAIN.createObjectNode().put("paymentRef", "P-9001"));
        });

        assertThat(readFailure(json).kind()).isEqualTo(Kind.UNSUPPORTED_SCHEMA_VERSION);
    }

    // --- reading: payload problems are INVALID_PAYLOAD

    @ParameterizedTest
    @ValueSource(strings = {"reservationId", "userId", "queueTokenId", "concertId", "scheduleId", "seatNos", "amount", "expiresAt"})
    void rejectsMissingPayloadFieldNamingIt(String field) {
        EventFormatException e = readFailure(
                sampleJson(EventType.RESERVATION_CREATED, root -> payload(root).remove(field)));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_PAYLOAD);
        assertThat(e.eventType()).contains("ReservationCreated");
        assertThat(e.getMessage()).contains("'" + field + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reservationId", "userId", "queueTokenId", "concertId", "scheduleId", "seatNos", "amount", "expiresAt"})
    void rejectsNullPayloadFieldNamingIt(String field) {
        EventFormatException e = readFailure(
                sampleJson(EventType.RESERVATION_CREATED, root -> payload(root).putNull(field)));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_PAYLOAD);
        // Null primitives fail in the mapping ('payload.amount'), null references in the
        // record's own check ("expiresAt must not be null"): both name the field.
        assertThat(e.getMessage()).containsPattern("('(payload\\.)?" + field + "'|\\b" + field + " must not be null)");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void rejectsMissingFieldOfEveryEventType(EventType type) {
        for (var component : type.eventClass().getRecordComponents()) {
            String field = component.getName();
            EventFormatException e = readFailure(sampleJson(type, root -> payload(root).remove(field)));

            assertThat(e.kind()).as(field).isEqualTo(Kind.INVALID_PAYLOAD);
            assertThat(e.getMessage()).as(field).contains("'" + field + "'");
        }
    }

    @Test
    void rejectsPayloadFieldsOfWrongType() {
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("amount", "240000"), "amount");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("amount", 2400.5), "amount");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("reservationId", true), "reservationId");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("seatNos", 12), "seatNos");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.putArray("seatNos").add("12"), "seatNos");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("expiresAt", "soon"), "expiresAt");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("queueTokenId", 12), "queueTokenId");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("expiresAt", ""), "expiresAt");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("expiresAt", 1795429230), "expiresAt");
        assertInvalidPayload(EventType.PAYMENT_COMPLETED, p -> p.put("paidAt", 1795429022.25), "paidAt");
        assertInvalidPayload(EventType.QUEUE_TOKEN_ISSUED, p -> p.put("tokenId", false), "tokenId");
        assertInvalidPayload(EventType.QUEUE_TOKEN_ISSUED, p -> p.putObject("tokenId"), "tokenId");
        assertInvalidPayload(EventType.RESERVATION_CREATED, p -> p.put("userId", 92233720368547758070.0), "userId");
    }

    @Test
    void rejectsUnknownEnumNamesAndOrdinals() {
        assertInvalidPayload(EventType.RESERVATION_REJECTED, p -> p.put("reason", "TOO_LATE"), "reason");
        assertInvalidPayload(EventType.RESERVATION_REJECTED, p -> p.put("reason", 0), "reason");
        assertInvalidPayload(EventType.QUEUE_TOKEN_EXPIRED, p -> p.put("reason", "payment_completed"), "reason");
    }

    @Test
    void rejectsPayloadThatBreaksAnInvariant() {
        assertInvalidPayload(EventType.RESERVATION_EXPIRED, p -> p.putArray("seatNos"), "seatNos must not be empty");
        assertInvalidPayload(EventType.RESERVATION_EXPIRED, p -> p.putArray("seatNos").add(0), "seatNos");
        assertInvalidPayload(EventType.RESERVATION_EXPIRED, p -> p.putArray("seatNos").add(3).addNull(), "seatNos");
        assertInvalidPayload(EventType.RESERVATION_EXPIRED, p -> p.put("reservationId", 0), "reservationId");
        assertInvalidPayload(EventType.QUEUE_TOKEN_ISSUED, p -> p.put("tokenId", ""), "tokenId");
        assertInvalidPayload(EventType.BALANCE_CHARGED, p -> p.put("amount", -5), "amount");
    }

    private static void assertMalformed(Consumer<ObjectNode> change, String field) {
        EventFormatException e = readFailure(sampleJson(EventType.RESERVATION_CONFIRMED, change));

        assertThat(e.kind()).as(field).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).as(field).contains(field);
    }

    private static void assertInvalidPayload(EventType type, Consumer<ObjectNode> change, String expectedInMessage) {
        EventFormatException e = readFailure(sampleJson(type, root -> change.accept(payload(root))));

        assertThat(e.kind()).as(expectedInMessage).isEqualTo(Kind.INVALID_PAYLOAD);
        assertThat(e.eventType()).contains(type.typeName());
        assertThat(e.getMessage()).as(e.getMessage()).contains(expectedInMessage);
    }

    private static EventFormatException readFailure(String json) {
        EventFormatException e = catchThrowableOfType(EventFormatException.class, () -> EventJson.read(json));
        assertThat(e).as("EventFormatException reading %s", json).isNotNull();
        return e;
    }

    private static ObjectNode payload(ObjectNode root) {
        return (ObjectNode) root.get("payload");
    }

    /** The sample of {@code type} as JSON, changed by {@code change}. */
    private static String sampleJson(EventType type, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) PLAIN.readTree(EventJson.write(Samples.envelope(type)));
            change.accept(root);
            return PLAIN.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
