package dev.ticketing.messaging.web.openapi;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.web.IdempotencyHeaders;
import dev.ticketing.web.Problems;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.filters.GlobalOpenApiMethodFilter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.ticketing.web.ProblemCode.IDEMPOTENCY_IN_PROGRESS;
import static dev.ticketing.web.ProblemCode.IDEMPOTENCY_KEY_REUSED;
import static dev.ticketing.web.ProblemCode.INVALID_REQUEST;
import static dev.ticketing.web.ProblemCode.PAYLOAD_TOO_LARGE;
import static dev.ticketing.web.ProblemCode.QUEUE_NOT_ADMITTED;
import static dev.ticketing.web.ProblemCode.RATE_LIMITED;
import static dev.ticketing.web.ProblemCode.SERVICE_UNAVAILABLE;
import static dev.ticketing.web.ProblemCode.TOKEN_EXPIRED;
import static dev.ticketing.web.ProblemCode.TOKEN_INVALID;
import static dev.ticketing.web.ProblemCode.TOKEN_MISSING;
import static dev.ticketing.web.ProblemCode.UNSUPPORTED_MEDIA_TYPE;

/**
 * A service's OpenAPI document as a client of the gateway sees it: only the {@link PublicApi}
 * routes, called through the gateway (server {@code /}), with the {@code Queue-Token} the gateway
 * checks instead of the identity headers it sets, and every problem a route may answer, whether
 * the service or the gateway answers it, as {@code application/problem+json} with its codes as
 * examples.
 */
public class PublicApiDocumentation implements GlobalOpenApiMethodFilter, GlobalOperationCustomizer,
        GlobalOpenApiCustomizer {

    /** The security scheme, named as the header. */
    public static final String QUEUE_TOKEN = "Queue-Token";
    public static final String PROBLEM_SCHEMA = "Problem";
    /** The route's {@link Access}, in lower case, for tools that read the document. */
    public static final String ACCESS_EXTENSION = "x-access";

    /** Set by the gateway from the verified token; whatever a client sends under these names is dropped. */
    private static final Set<String> GATEWAY_HEADERS = Set.of("x-user-id", "x-queue-token-id");
    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM_SCHEMA;
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    @Override
    public boolean isMethodToInclude(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, PublicApi.class);
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.servers(List.of(new Server().url("/")
                .description("the gateway: every public route is called through it")));
        if (openApi.getComponents() == null) {
            openApi.components(new Components());
        }
        openApi.getComponents()
                .addSchemas(PROBLEM_SCHEMA, problemSchema())
                .addSecuritySchemes(QUEUE_TOKEN, new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name(QUEUE_TOKEN)
                        .description("The `token` that joining the queue answered (a signed JWT). The gateway "
                                + "verifies it, and for admitted routes asks the queue whether it is `ACTIVE`."));
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        PublicApi api = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), PublicApi.class);
        if (api == null) {
            return operation;
        }
        hideGatewayHeaders(operation);
        boolean idempotent = describeIdempotencyKey(operation);
        if (api.access().needsToken()) {
            operation.addSecurityItem(new SecurityRequirement().addList(QUEUE_TOKEN));
        }
        operation.description(paragraphs(operation.getDescription(), "**Access:** " + api.access().description()));
        operation.addExtension(ACCESS_EXTENSION, api.access().name().toLowerCase(Locale.ROOT));

        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        if (idempotent) {
            responses.forEach((status, response) -> {
                if (status.startsWith("2")) {
                    response.addHeaderObject(IdempotencyHeaders.REPLAYED, new Header()
                            .description("`true` when this is the stored answer to an earlier request with the same "
                                    + "Idempotency-Key")
                            .schema(new StringSchema()._enum(List.of("true"))));
                }
            });
        }
        problemsOf(api, operation, idempotent).forEach((status, codes) ->
                responses.addApiResponse(Integer.toString(status.value()), problemResponse(status, codes)));
        ApiResponses ordered = new ApiResponses();
        new TreeMap<>(responses).forEach(ordered::addApiResponse);
        return operation.responses(ordered);
    }

    /** What follows from the route's access and shape, and the route's own problems, by status. */
    private static SortedMap<HttpStatus, List<ProblemCode>> problemsOf(PublicApi api, Operation operation,
                                                                       boolean idempotent) {
        boolean body = operation.getRequestBody() != null;
        boolean parameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
        EnumSet<ProblemCode> codes = EnumSet.of(RATE_LIMITED, SERVICE_UNAVAILABLE);
        if (body || parameters) {
            codes.add(INVALID_REQUEST);
        }
        if (body) {
            codes.addAll(List.of(PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE));
        }
        if (idempotent) {
            codes.addAll(List.of(IDEMPOTENCY_IN_PROGRESS, IDEMPOTENCY_KEY_REUSED));
        }
        if (api.access().needsToken()) {
            codes.addAll(List.of(TOKEN_MISSING, TOKEN_INVALID));
        }
        if (api.access() == Access.ADMITTED) {
            codes.addAll(List.of(TOKEN_EXPIRED, QUEUE_NOT_ADMITTED));
        }
        codes.addAll(List.of(api.problems()));
        return codes.stream().collect(Collectors.groupingBy(ProblemCode::status, TreeMap::new, Collectors.toList()));
    }

    private static ApiResponse problemResponse(HttpStatus status, List<ProblemCode> codes) {
        MediaType problem = new MediaType().schema(new Schema<>().$ref(PROBLEM_REF));
        // Named by code, so that Swagger UI's list of examples reads as the list of codes.
        codes.forEach(code -> problem.addExamples(code.name(),
                new Example().description(code.meaning()).value(example(code))));
        ApiResponse response = new ApiResponse()
                .description(status.getReasonPhrase() + ", with `code`:\n\n" + codes.stream()
                        .map(code -> "- `" + code.name() + "`: " + code.meaning())
                        .collect(Collectors.joining("\n")))
                .content(new Content().addMediaType(PROBLEM_JSON, problem));
        if (status == HttpStatus.TOO_MANY_REQUESTS || status == HttpStatus.SERVICE_UNAVAILABLE) {
            response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                    .description("whole seconds to wait before trying again")
                    .schema(new IntegerSchema().minimum(BigDecimal.ONE)));
        }
        return response;
    }

    /** The members in the order of DESIGN section 3, as the service or the gateway writes them. */
    private static Map<String, Object> example(ProblemCode code) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", Problems.typeOf(code).toString());
        problem.put("title", Problems.titleOf(code.status()));
        problem.put("status", code.status().value());
        problem.put("detail", code.exampleDetail());
        problem.put("code", code.name());
        problem.putAll(code.exampleMembers());
        return problem;
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("Every error, from a service or the gateway: RFC 9457 problem details with a "
                        + "stable `code`.")
                .addProperty("type", new StringSchema().format("uri")
                        .description("`https://ticketing.dev/problems/` and the code in kebab case")
                        .example("https://ticketing.dev/problems/seat-unavailable"))
                .addProperty("title", new StringSchema().description("the HTTP reason phrase").example("Conflict"))
                .addProperty("status", new IntegerSchema().description("the HTTP status").example(409))
                .addProperty("detail", new StringSchema()
                        .description("what went wrong, for people; not meant to be parsed")
                        .example("seats [10, 11] are not available"))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("the request's path, in a service's answers (the gateway's own refusals "
                                + "have none)")
                        .example("/api/v1/reservations"))
                .addProperty("code", new StringSchema()
                        .description("the stable code to act on; each response lists the codes it may carry")
                        .example(ProblemCode.SEAT_UNAVAILABLE.name()))
                .addProperty("seatNos", new ArraySchema().items(new IntegerSchema())
                        .description("with `SEAT_UNAVAILABLE` only: the seats asked for that are held or sold")
                        .example(List.of(10, 11)))
                .required(List.of("type", "title", "status", "detail", "code"));
    }

    /** The gateway sets them from the token; a client sends {@code Queue-Token} instead. */
    private static void hideGatewayHeaders(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        operation.getParameters().removeIf(parameter -> "header".equals(parameter.getIn())
                && GATEWAY_HEADERS.contains(parameter.getName().toLowerCase(Locale.ROOT)));
        if (operation.getParameters().isEmpty()) {
            operation.setParameters(null);
        }
    }

    /** Whether the route takes an {@code Idempotency-Key}; if so, describes it once for every such route. */
    private static boolean describeIdempotencyKey(Operation operation) {
        if (operation.getParameters() == null) {
            return false;
        }
        for (Parameter parameter : operation.getParameters()) {
            if ("header".equals(parameter.getIn()) && IdempotencyHeaders.KEY.equalsIgnoreCase(parameter.getName())) {
                parameter.description("Optional. The same key with the same body within 24 hours answers the first "
                                + "response again (with `" + IdempotencyHeaders.REPLAYED + ": true`) and changes "
                                + "nothing; with another body it is refused (422). Scoped to the user and the route.")
                        .schema(new StringSchema().minLength(1).maxLength(255).pattern("^[!-~]+$")
                                .example("3f0c2a7e-5b1d-4c8e-9a61-0d2b7c4e8f10"));
                return true;
            }
        }
        return false;
    }

    private static String paragraphs(String first, String second) {
        return first == null || first.isBlank() ? second : first + "\n\n" + second;
    }
}
