package dev.ticketing.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one JSON mapping of events, used by producers and consumers alike.
 *
 * <p>Writing gives {@code {"eventId","eventType","schemaVersion","occurredAt","aggregateType",
 * "aggregateId","payload":{...}}} in that order, instants as ISO-8601 text, enums by name.
 *
 * <p>Reading ignores unknown fields, requires every payload field (a missing or null one is an
 * error naming it), and refuses type coercions such as {@code "12"} or {@code 1.5} for a number.
 * Failures are {@link EventFormatException}s, checked in this order: not a JSON object or a bad
 * envelope field ({@code MALFORMED}), unknown eventType ({@code UNKNOWN_EVENT_TYPE}), schemaVersion
 * other than the current one ({@code UNSUPPORTED_SCHEMA_VERSION}), payload that does not bind or
 * breaks an invariant ({@code INVALID_PAYLOAD}).
 */
public final class EventJson {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // After JavaTimeModule, so it wins: instants are ISO-8601 text only, never epoch numbers.
            .addModule(new SimpleModule("StrictInstant").addDeserializer(Instant.class, new StrictInstantDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Every payload field is required unless marked @AddedField: events written before a
            // field was added must still read. Explicit nulls of required fields fail in the
            // records' own null checks.
            .annotationIntrospector(new RequiredUnlessAdded())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // A number or boolean where text is due (e.g. a token id) is a producer bug, not text.
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** Every component of this package's records is required, except those marked {@link AddedField}. */
    private static final class RequiredUnlessAdded extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasRequiredMarker(AnnotatedMember member) {
            Boolean explicit = super.hasRequiredMarker(member);
            if (explicit != null) {
                return explicit;
            }
            Class<?> owner = member.getDeclaringClass();
            if (owner.isRecord() && owner.getPackageName().equals(EventJson.class.getPackageName())) {
                return !member.hasAnnotation(AddedField.class);
            }
            return null;
        }
    }

    /** Jackson's hints about its own settings mean nothing to a consumer reading a dead letter. */
    private static final Pattern JACKSON_HINTS = Pattern.compile(
            " \\(set DeserializationConfig\\.[^)]*\\)|; `DeserializationFeature\\.[A-Z_]+` enabled"
                    + "| \\(but (might|could) if coercion[^)]*\\)");

    private EventJson() {
    }

    /** A copy of the mapper behind this class, for tests and tools; changing it changes nothing here. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    /** The envelope as compact JSON text. */
    public static String write(EventEnvelope envelope) {
        Checks.notNull(envelope, "envelope");
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + envelope.eventType() + " " + envelope.eventId(), e);
        }
    }

    /** The envelope as compact JSON in UTF-8, ready to be a Kafka record value. */
    public static byte[] writeBytes(EventEnvelope envelope) {
        return write(envelope).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an envelope and its payload.
     *
     * @throws EventFormatException if {@code json} is not a readable event of a known type and version
     */
    public static EventEnvelope read(String json) {
        if (json == null) {
            throw new EventFormatException(EventFormatException.Kind.MALFORMED, null, "event JSON is null");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
        return fromTree(root);
    }

    /**
     * Reads an envelope and its payload from UTF-8 JSON.
     *
     * @throws EventFormatException if {@code json} is not a readable event of a known type and version
     */
    public static EventEnvelope read(byte[] json) {
        if (json == null) {
            throw new EventFormatException(EventFormatException.Kind.MALFORMED, null, "event JSON is null");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw notJson(e);
        }
        return fromTree(root);
    }

    private static EventFormatException notJson(IOException e) {
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new EventFormatException(EventFormatException.Kind.MALFORMED, null, "not JSON: " + detail, e);
    }

    private static EventEnvelope fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            String found = root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase();
            throw new EventFormatException(EventFormatException.Kind.MALFORMED, null,
                    "event JSON must be an object, found " + found);
        }
        // Read eventType first so every later failure can report it.
        String eventType = text(root, "eventType", null);
        UUID eventId = uuid(root, "eventId", eventType);
        int schemaVersion = integer(root, "schemaVersion", eventType);
        Instant occurredAt = instant(root, "occurredAt", eventType);
        String aggregateType = text(root, "aggregateType", eventType);
        String aggregateId = text(root, "aggregateId", eventType);
        JsonNode payloadNode = required(root, "payload", eventType);
        if (!payloadNode.isObject()) {
            throw malformed(eventType, "envelope field 'payload' must be an object");
        }

        EventType type = EventType.find(eventType).orElseThrow(() -> new EventFormatException(
                EventFormatException.Kind.UNKNOWN_EVENT_TYPE, eventType, "unknown eventType '" + eventType + "'"));
        if (schemaVersion != type.schemaVersion()) {
            throw new EventFormatException(EventFormatException.Kind.UNSUPPORTED_SCHEMA_VERSION, eventType,
                    eventType + " schemaVersion " + schemaVersion + " is not supported; this reader knows "
                            + type.schemaVersion());
        }
        DomainEvent payload = bindPayload(payloadNode, type);
        try {
            return new EventEnvelope(eventId, eventType, schemaVersion, occurredAt, aggregateType, aggregateId, payload);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EventFormatException(EventFormatException.Kind.MALFORMED, eventType,
                    "envelope disagrees with its payload: " + e.getMessage(), e);
        }
    }

    private static DomainEvent bindPayload(JsonNode payloadNode, EventType type) {
        try {
            return MAPPER.treeToValue(payloadNode, type.eventClass());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new EventFormatException(EventFormatException.Kind.INVALID_PAYLOAD, type.typeName(),
                    "invalid " + type.typeName() + " payload" + describe(e), e);
        }
    }

    /** ": at 'payload.seatNos[0]': problem", naming the field wherever Jackson knows it. */
    private static String describe(Exception e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            // An invariant of the record's constructor; its message names the field.
            return ": " + vie.getCause().getMessage();
        }
        if (e instanceof JsonMappingException jme) {
            String path = path(jme);
            String problem = JACKSON_HINTS.matcher(jme.getOriginalMessage()).replaceAll("");
            return (path.isEmpty() ? "" : " at '" + path + "'") + ": " + problem;
        }
        return ": " + e.getMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder("payload");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == "payload".length() ? "" : path.toString();
    }

    private static JsonNode required(JsonNode root, String field, String eventType) {
        JsonNode node = root.get(field);
        if (node == null) {
            throw malformed(eventType, "envelope field '" + field + "' is missing");
        }
        if (node.isNull()) {
            throw malformed(eventType, "envelope field '" + field + "' is null");
        }
        return node;
    }

    private static String text(JsonNode root, String field, String eventType) {
        JsonNode node = required(root, field, eventType);
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw malformed(eventType, "envelope field '" + field + "' must be a non-blank string");
        }
        return node.textValue();
    }

    private static UUID uuid(JsonNode root, String field, String eventType) {
        JsonNode node = required(root, field, eventType);
        if (!node.isTextual() || !UUID_TEXT.matcher(node.textValue()).matches()) {
            throw malformed(eventType, "envelope field '" + field + "' must be a UUID string");
        }
        return UUID.fromString(node.textValue());
    }

    private static int integer(JsonNode root, String field, String eventType) {
        JsonNode node = required(root, field, eventType);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw malformed(eventType, "envelope field '" + field + "' must be an integer");
        }
        return node.intValue();
    }

    private static Instant instant(JsonNode root, String field, String eventType) {
        JsonNode node = required(root, field, eventType);
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue());
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw malformed(eventType, "envelope field '" + field + "' must be an ISO-8601 instant string");
    }

    /** Reads an instant from ISO-8601 text only, as the envelope's own fields are read. */
    private static final class StrictInstantDeserializer extends StdScalarDeserializer<Instant> {

        private static final long serialVersionUID = 1L;

        StrictInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                        "not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
            }
        }
    }

    private static EventFormatException malformed(String eventType, String message) {
        return new EventFormatException(EventFormatException.Kind.MALFORMED, eventType, message);
    }
}
