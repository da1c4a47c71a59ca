package dev.ticketing.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.web.client.RestClient;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's OpenAPI document ({@code GET /v3/api-docs}) held to the route table of DESIGN section 3:
 * exactly the routes given, each with its access as a {@code Queue-Token} requirement, and each error
 * status with exactly the codes given, as {@code application/problem+json} of the shared
 * {@code Problem} schema.
 */
public final class PublicApiDocument {

    private static final String QUEUE_TOKEN = "Queue-Token";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Set<String> GATEWAY_HEADERS = Set.of("x-user-id", "x-queue-token-id");

    private final JsonNode document;

    private PublicApiDocument(JsonNode document) {
        this.document = document;
    }

    /** The document the service at {@code port} serves. */
    public static PublicApiDocument fetch(int port) {
        JsonNode document = RestClient.create("http://127.0.0.1:" + port).get().uri("/v3/api-docs")
                .retrieve().body(JsonNode.class);
        return new PublicApiDocument(document);
    }

    /** Asserts the whole document: its frame, exactly these routes, and every problem and reference. */
    public void assertDescribesExactly(Route... routes) {
        assertFrame();
        Map<String, JsonNode> operations = operations();
        assertThat(operations.keySet()).as("documented routes")
                .containsExactlyInAnyOrderElementsOf(List.of(routes).stream().map(Route::key).toList());
        assertThat(operations.keySet()).as("no internal route").noneMatch(key -> key.contains(" /internal/"));
        for (Route route : routes) {
            assertOperation(route, operations.get(route.key()));
        }
        assertReferencesResolve();
    }

    private void assertFrame() {
        assertThat(document.path("openapi").asText()).as("OpenAPI version").startsWith("3.");
        assertThat(document.path("info").path("title").asText()).as("title").isNotBlank();
        assertThat(document.path("info").path("version").asText()).as("version").isNotBlank();
        assertThat(document.path("info").path("description").asText()).as("description").isNotBlank();
        assertThat(document.path("servers")).as("servers: the gateway").hasSize(1);
        assertThat(document.path("servers").path(0).path("url").asText()).as("server url").isEqualTo("/");

        JsonNode scheme = document.path("components").path("securitySchemes").path(QUEUE_TOKEN);
        assertThat(scheme.path("type").asText()).isEqualTo("apiKey");
        assertThat(scheme.path("in").asText()).isEqualTo("header");
        assertThat(scheme.path("name").asText()).isEqualTo(QUEUE_TOKEN);

        JsonNode problem = document.path("components").path("schemas").path("Problem");
        assertThat(fieldNames(problem.path("properties"))).as("Problem members")
                .contains("type", "title", "status", "detail", "instance", "code", "seatNos");
        assertThat(problem.path("required")).extracting(JsonNode::asText).as("Problem's required members")
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "code");
    }

    private void assertOperation(Route route, JsonNode operation) {
        String name = route.id() + " " + route.key();
        assertThat(operation.path("summary").asText()).as(name + " summary").isNotBlank();
        assertThat(operation.path("x-access").asText()).as(name + " access")
                .isEqualTo(route.access().name().toLowerCase(Locale.ROOT));
        JsonNode security = operation.path("security");
        if (route.access() == Access.OPEN) {
            assertThat(security).as(name + " security").isEmpty();
        } else {
            assertThat(security).as(name + " security").hasSize(1);
            assertThat(fieldNames(security.path(0))).as(name + " security").containsExactly(QUEUE_TOKEN);
        }
        assertThat(operation.path("parameters")).as(name + " parameters").noneMatch(parameter ->
                GATEWAY_HEADERS.contains(parameter.path("name").asText().toLowerCase(Locale.ROOT)));
        // What a client sends: ids in the path, paging, Idempotency-Key; nothing the service takes from the gateway
        // (its identity headers, or the Caller they make) may show up as a parameter.
        assertThat(operation.path("parameters")).as(name + " parameters").allMatch(parameter -> switch (parameter.path("in").asText()) {
            case "path" -> true;
            case "query" -> Set.of("page", "size").contains(parameter.path("name").asText());
            case "header" -> parameter.path("name").asText().equalsIgnoreCase("Idempotency-Key");
            default -> false;
        });

        JsonNode responses = operation.path("responses");
        assertThat(fieldNames(responses)).as(name + " success").anyMatch(status -> status.startsWith("2"));
        Map<Integer, Set<String>> documented = new TreeMap<>();
        for (String status : fieldNames(responses)) {
            int code = Integer.parseInt(status);
            if (code >= 400) {
                documented.put(code, problemCodes(name + " " + status, responses.path(status), code));
            }
        }
        assertThat(documented).as(name + " problems by status").isEqualTo(route.problems());
    }

    /** The codes of one error response, after checking it is problem+json of the shared schema. */
    private static Set<String> problemCodes(String name, JsonNode response, int status) {
        JsonNode content = response.path("content");
        assertThat(fieldNames(content)).as(name + " media types").containsExactly("application/problem+json");
        JsonNode problem = content.path("application/problem+json");
        assertThat(problem.path("schema").path("$ref").asText()).as(name + " schema").isEqualTo(PROBLEM_REF);
        Set<String> codes = new TreeSet<>(fieldNames(problem.path("examples")));
        for (String code : codes) {
            JsonNode example = problem.path("examples").path(code).path("value");
            assertThat(example.path("code").asText()).as(name + " example " + code).isEqualTo(code);
            assertThat(example.path("status").asInt()).as(name + " example " + code).isEqualTo(status);
        }
        if (status == 429 || status == 503) {
            assertThat(fieldNames(response.path("headers"))).as(name + " headers").contains("Retry-After");
        }
        return codes;
    }

    /** Every {@code $ref} names something the document has. */
    private void assertReferencesResolve() {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);
        assertThat(references).as("references").isNotEmpty();
        for (String reference : references) {
            assertThat(reference).as("a local reference").startsWith("#/");
            JsonNode target = document.at(reference.substring(1));
            assertThat(target.isMissingNode()).as(reference + " resolves").isFalse();
        }
    }

    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method ->
                operations.put(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue())));
        return operations;
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.has("$ref")) {
            references.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectReferences(child, references));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** What the gateway asks of the caller (DESIGN section 3). */
    public enum Access { OPEN, IDENTIFIED, ADMITTED }

    /**
     * One row of the route table.
     *
     * @param problems the codes each error status may carry
     */
    public record Route(String id, String method, String path, Access access, Map<Integer, Set<String>> problems) {

        public static Route open(String id, String methodAndPath) {
            return of(id, methodAndPath, Access.OPEN);
        }

        public static Route identified(String id, String methodAndPath) {
            return of(id, methodAndPath, Access.IDENTIFIED);
        }

        public static Route admitted(String id, String methodAndPath) {
            return of(id, methodAndPath, Access.ADMITTED);
        }

        private static Route of(String id, String methodAndPath, Access access) {
            String[] parts = methodAndPath.split(" ", 2);
            return new Route(id, parts[0], parts[1], access, Map.of());
        }

        /** This route with {@code status} answering {@code codes}, besides the statuses given before. */
        public Route problems(int status, String... codes) {
            Map<Integer, Set<String>> all = new TreeMap<>(problems);
            all.put(status, new TreeSet<>(List.of(codes)));
            return new Route(id, method, path, access, all);
        }

        String key() {
            return method + " " + path;
        }
    }
}
