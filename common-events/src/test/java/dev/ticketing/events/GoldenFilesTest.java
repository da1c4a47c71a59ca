package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wire format is the contract: each event type's sample must write exactly its checked-in
 * golden file, and the golden file must read back to the sample. A failure here means consumers
 * would see a different format; change the golden file only together with docs/events.md and,
 * for a breaking change, a new schemaVersion.
 */
class GoldenFilesTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesSampleAsGoldenJson(EventType type) throws IOException {
        String golden = golden(type);

        String written = EventJson.write(Samples.envelope(type));

        assertThat(PLAIN.readTree(written)).isEqualTo(PLAIN.readTree(golden));
        // Same text, field order included, once whitespace is normalised.
        assertThat(written).isEqualTo(compact(golden));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesTheSameTextEveryTime(EventType type) {
        EventEnvelope envelope = Samples.envelope(type);

        String first = EventJson.write(envelope);

        assertThat(EventJson.write(envelope)).isEqualTo(first);
        assertThat(EventJson.write(EventJson.read(first))).isEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void readsGoldenJsonBackToSample(EventType type) throws IOException {
        EventEnvelope read = EventJson.read(golden(type));

        assertThat(read).isEqualTo(Samples.envelope(type));
        assertThat(read.payload()).isInstanceOf(type.eventClass());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void readsGoldenJsonFromUtf8Bytes(EventType type) throws IOException {
        byte[] bytes = golden(type).getBytes(StandardCharsets.UTF_8);

        assertThat(EventJson.read(bytes)).isEqualTo(Samples.envelope(type));
        assertThat(EventJson.writeBytes(Samples.envelope(type)))
                .isEqualTo(compact(golden(type)).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hasOneGoldenFilePerEventTypeAndNoOthers() throws IOException, URISyntaxException {
        URL dir = GoldenFilesTest.class.getResource("/golden");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(
                            Arrays.stream(EventType.values()).map(t -> t.typeName() + ".json").toList());
        }
    }

    private static String golden(EventType type) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + type.typeName() + ".json")) {
            assertThat(in).as("golden file for %s", type.typeName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String compact(String json) throws IOException {
        return PLAIN.writeValueAsString(PLAIN.readTree(json));
    }
}
