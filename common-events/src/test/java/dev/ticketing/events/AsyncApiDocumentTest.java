package dev.ticketing.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/asyncapi.yaml against the code of the contract: topics and partitions, which event goes on
 * which topic and with which key, the record headers, the envelope, and every payload's fields,
 * types, enums and required list (read from the records and from each golden sample).
 */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode doc;

    @BeforeAll
    static void read() throws IOException {
        doc = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    @Test
    void isAnAsyncApi3DocumentWithOneChannelPerTopic() {
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        doc.path("channels").forEach(channel -> {
            addresses.add(channel.path("address").asText());
            assertThat(channel.at("/bindings/kafka/partitions").asInt()).as("partitions of %s", channel.path("address"))
                    .isEqualTo(Topics.PARTITIONS);
        });
        assertThat(addresses).containsExactlyElementsOf(Topics.ALL);
    }

    @Test
    void listsOnEachChannelExactlyTheEventTypesOfItsTopic() {
        doc.path("channels").forEach(channel -> {
            String topic = channel.path("address").asText();
            Set<String> expected = Arrays.stream(EventType.values()).filter(t -> t.topic().equals(topic))
                    .map(EventType::typeName).collect(Collectors.toCollection(LinkedHashSet::new));
            assertThat(names(channel.path("messages"))).as("messages of %s", topic).containsExactlyElementsOf(expected);
            channel.path("messages").properties().forEach(m -> assertThat(m.getValue().path("$ref").asText())
                    .isEqualTo("#/components/messages/" + m.getKey()));
        });
        assertThat(names(doc.at("/components/messages"))).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventType.values()).map(EventType::typeName).toList());
    }

    @Test
    void describesTheRecordHeadersOfEventHeaders() throws IllegalAccessException {
        List<String> headers = new ArrayList<>();
        for (Field field : EventHeaders.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                headers.add((String) field.get(null));
            }
        }
        JsonNode schema = doc.at("/components/schemas/RecordHeaders");
        assertThat(names(schema.path("properties"))).containsExactlyInAnyOrderElementsOf(headers);
        assertThat(texts(schema.path("required"))).containsExactlyInAnyOrder(
                EventHeaders.EVENT_ID, EventHeaders.EVENT_TYPE, EventHeaders.SCHEMA_VERSION);
    }

    @Test
    void describesTheEnvelopeFieldByFieldInWireOrder() throws IOException {
        JsonNode schema = doc.at("/components/schemas/Envelope");
        List<String> components = Arrays.stream(EventEnvelope.class.getRecordComponents()).map(RecordComponent::getName).toList();
        assertThat(names(schema.path("properties"))).containsExactlyElementsOf(components);
        assertThat(texts(schema.path("required"))).containsExactlyInAnyOrderElementsOf(components);
        for (EventType type : EventType.values()) {
            assertThat(names(golden(type))).as("envelope fields of the %s sample", type.typeName())
                    .containsExactlyElementsOf(components);
        }
        Set<String> aggregateTypes = Arrays.stream(EventType.values()).map(t -> envelope(t).aggregateType())
                .collect(Collectors.toSet());
        assertThat(texts(schema.at("/properties/aggregateType/enum"))).containsExactlyInAnyOrderElementsOf(aggregateTypes);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void describesEachMessageAsItsCodeWritesIt(EventType type) throws IOException {
        String name = type.typeName();
        JsonNode message = doc.at("/components/messages/" + name);
        assertThat(message.path("name").asText()).isEqualTo(name);
        assertThat(message.at("/headers/$ref").asText()).isEqualTo("#/components/schemas/RecordHeaders");

        JsonNode allOf = message.at("/payload/allOf");
        assertThat(allOf.get(0).path("$ref").asText()).isEqualTo("#/components/schemas/Envelope");
        JsonNode fixed = allOf.get(1).path("properties");
        EventEnvelope sample = envelope(type);
        assertThat(fixed.at("/eventType/const").asText()).isEqualTo(name);
        assertThat(fixed.at("/schemaVersion/const").asInt()).isEqualTo(type.schemaVersion());
        assertThat(fixed.at("/aggregateType/const").asText()).isEqualTo(sample.aggregateType());
        assertThat(fixed.at("/payload/$ref").asText()).isEqualTo("#/components/schemas/" + name);

        // The key: the named payload field's value, as decimal text, is what the code keys the record by.
        String keyField = message.at("/bindings/kafka/x-key-field").asText();
        assertThat(golden(type).path("payload").path(keyField).isMissingNode()).as("key field %s of %s", keyField, name).isFalse();
        assertThat(golden(type).path("payload").path(keyField).asText()).isEqualTo(sample.key());
        assertThat(message.at("/bindings/kafka/key/type").asText()).isEqualTo("string");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void describesEachPayloadFieldWithItsTypeAndWhetherItIsRequired(EventType type) throws IOException {
        JsonNode schema = doc.at("/components/schemas/" + type.typeName());
        RecordComponent[] components = type.eventClass().getRecordComponents();
        assertThat(names(schema.path("properties"))).as("fields of %s", type.typeName())
                .containsExactlyElementsOf(Arrays.stream(components).map(RecordComponent::getName).toList());
        assertThat(names(golden(type).path("payload"))).as("fields of the %s sample", type.typeName())
                .containsExactlyElementsOf(Arrays.stream(components).map(RecordComponent::getName).toList());
        assertThat(texts(schema.path("required"))).containsExactlyInAnyOrderElementsOf(Arrays.stream(components)
                .filter(c -> !c.isAnnotationPresent(AddedField.class)).map(RecordComponent::getName).toList());
        for (RecordComponent component : components) {
            JsonNode property = resolve(schema.path("properties").path(component.getName()));
            assertThat(describedType(property)).as("%s.%s", type.typeName(), component.getName())
                    .isEqualTo(javaType(component));
            if (component.getType().isEnum()) {
                assertThat(texts(property.path("enum"))).as("%s.%s", type.typeName(), component.getName())
                        .containsExactlyElementsOf(Arrays.stream(component.getType().getEnumConstants())
                                .map(c -> ((Enum<?>) c).name()).toList());
            }
        }
    }

    /** The JSON type the document gives a property: "integer", "string", "date-time", "enum", "integer array". */
    private static String describedType(JsonNode property) {
        String type = property.path("type").asText();
        if (property.has("enum")) {
            return "enum";
        }
        if ("array".equals(type)) {
            return property.at("/items/type").asText() + " array";
        }
        if ("string".equals(type) && "date-time".equals(property.path("format").asText())) {
            return "date-time";
        }
        return type;
    }

    /** The same, from the record component's Java type. */
    private static String javaType(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
            return "integer";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == Instant.class) {
            return "date-time";
        }
        if (type.isEnum()) {
            return "enum";
        }
        if (List.class.isAssignableFrom(type)
                && component.getGenericType().getTypeName().equals("java.util.List<java.lang.Integer>")) {
            return "integer array";
        }
        return "unmapped " + component.getGenericType().getTypeName();
    }

    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText(null);
        if (ref == null) {
            return node;
        }
        assertThat(ref).startsWith("#/");
        JsonNode target = doc.at(ref.substring(1));
        assertThat(target.isMissingNode()).as("target of %s", ref).isFalse();
        return target;
    }

    private static JsonNode golden(EventType type) throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/golden/" + type.typeName() + ".json")) {
            assertThat(in).as("golden sample of %s", type.typeName()).isNotNull();
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static EventEnvelope envelope(EventType type) {
        try {
            return EventJson.read(JSON.writeValueAsString(golden(type)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
