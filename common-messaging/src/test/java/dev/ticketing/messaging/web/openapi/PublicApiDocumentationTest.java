package dev.ticketing.messaging.web.openapi;

import dev.ticketing.web.ProblemCode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;
import org.springframework.web.method.HandlerMethod;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a service's document adds to each public route, from its access and its shape. */
class PublicApiDocumentationTest {

    private final PublicApiDocumentation documentation = new PublicApiDocumentation();

    @Test
    void documentsOnlyPublicRoutes() throws NoSuchMethodException {
        assertThat(documentation.isMethodToInclude(Routes.class.getDeclaredMethod("hold"))).isTrue();
        assertThat(documentation.isMethodToInclude(Routes.class.getDeclaredMethod("internal"))).isFalse();
    }

    @Test
    void addsTheGatewaysChecksAndTheRoutesOwnProblems() throws NoSuchMethodException {
        Operation operation = new Operation()
                .addParametersItem(new HeaderParameter().name("X-User-Id").schema(new StringSchema()))
                .addParametersItem(new HeaderParameter().name("X-Queue-Token-Id").schema(new StringSchema()))
                .addParametersItem(new HeaderParameter().name("Idempotency-Key").schema(new StringSchema()))
                .requestBody(new RequestBody().content(new Content().addMediaType("application/json", new MediaType())))
                .responses(new ApiResponses().addApiResponse("201", new ApiResponse().description("held")));

        documentation.customize(operation, handler("hold"));

        assertThat(operation.getParameters()).extracting(p -> p.getName()).containsExactly("Idempotency-Key");
        assertThat(operation.getSecurity()).singleElement().satisfies(requirement ->
                assertThat(requirement).containsOnlyKeys("Queue-Token"));
        assertThat(operation.getExtensions()).containsEntry("x-access", "admitted");
        assertThat(operation.getResponses()).containsOnlyKeys("201", "400", "401", "403", "409", "413", "415",
                "422", "429", "503");
        assertThat(operation.getResponses().get("201").getHeaders()).containsKey("Idempotent-Replayed");
        assertThat(examples(operation, "401")).containsOnlyKeys("TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED");
        assertThat(examples(operation, "403")).containsOnlyKeys("QUEUE_NOT_ADMITTED");
        assertThat(examples(operation, "409")).containsOnlyKeys("SEAT_UNAVAILABLE", "IDEMPOTENCY_IN_PROGRESS");
        assertThat(operation.getResponses().get("429").getHeaders()).containsKey("Retry-After");
        assertThat(operation.getResponses().get("503").getHeaders()).containsKey("Retry-After");
        // The problem's members as the service writes them, and the extra one of its code.
        assertThat(operation.getResponses().get("409").getContent().get("application/problem+json").getExamples()
                .get("SEAT_UNAVAILABLE").getValue())
                .isEqualTo(Map.of("type", "https://ticketing.dev/problems/seat-unavailable", "title", "Conflict",
                        "status", 409, "detail", "seats [10, 11] are not available", "code", "SEAT_UNAVAILABLE",
                        "seatNos", List.of(10, 11)));
    }

    @Test
    void anOpenRouteWithoutInputHasNoTokenAndNoBadRequest() throws NoSuchMethodException {
        Operation operation = new Operation()
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("the list")));

        documentation.customize(operation, handler("list"));

        assertThat(operation.getSecurity()).isNull();
        assertThat(operation.getParameters()).isNull();
        assertThat(operation.getExtensions()).containsEntry("x-access", "open");
        assertThat(operation.getResponses()).containsOnlyKeys("200", "429", "503");
    }

    @Test
    void anIdentifiedRouteWithAPathIdHasTheTokenChecksOfItsLevelOnly() throws NoSuchMethodException {
        Operation operation = new Operation()
                .addParametersItem(new PathParameter().name("reservationId").schema(new StringSchema()))
                .addParametersItem(new HeaderParameter().name("x-user-id").schema(new StringSchema()))
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("the reservation")));

        documentation.customize(operation, handler("find"));

        assertThat(operation.getParameters()).extracting(p -> p.getName()).containsExactly("reservationId");
        assertThat(operation.getResponses()).containsOnlyKeys("200", "400", "401", "403", "404", "429", "503");
        assertThat(examples(operation, "401")).containsOnlyKeys("TOKEN_MISSING", "TOKEN_INVALID");
        assertThat(examples(operation, "403")).containsOnlyKeys("FORBIDDEN");
    }

    @Test
    void sharesTheProblemSchemaTheTokenSchemeAndTheGatewayAsServer() {
        OpenAPI document = new OpenAPI();

        documentation.customise(document);

        assertThat(document.getServers()).singleElement()
                .satisfies(server -> assertThat(server.getUrl()).isEqualTo("/"));
        assertThat(document.getComponents().getSchemas().get("Problem").getRequired())
                .containsExactly("type", "title", "status", "detail", "code");
        assertThat(document.getComponents().getSecuritySchemes().get("Queue-Token").getName()).isEqualTo("Queue-Token");
    }

    private static Map<String, ?> examples(Operation operation, String status) {
        return operation.getResponses().get(status).getContent().get("application/problem+json").getExamples();
    }

    private static HandlerMethod handler(String name) throws NoSuchMethodException {
        return new HandlerMethod(new Routes(), Routes.class.getDeclaredMethod(name));
    }

    static class Routes {

        @PublicApi(access = Access.ADMITTED, problems = ProblemCode.SEAT_UNAVAILABLE)
        void hold() {
        }

        @PublicApi(access = Access.OPEN)
        void list() {
        }

        @PublicApi(access = Access.IDENTIFIED, problems = {ProblemCode.FORBIDDEN, ProblemCode.RESERVATION_NOT_FOUND})
        void find() {
        }

        void internal() {
        }
    }
}
