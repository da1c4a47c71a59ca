package dev.ticketing.gateway.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One join (Q1) on its way to queue-service in a batch, and what queue-service answered for it. */
final class TokenJoin {

    private TokenJoin() {
    }

    /**
     * One client's join. The request id keeps two joins of the same user apart, so each gets the
     * answer Q1 gives it (the first 201, the second 200 with the same token).
     */
    record Asked(UUID requestId, long userId, String traceparent) {
    }

    /** {@code view} as queue-service wrote it; null for a join that failed there. */
    record Answered(boolean created, byte[] view) {

        static Answered failed(Asked asked) {
            return new Answered(false, null);
        }

        boolean succeeded() {
            return view != null;
        }
    }

    /** {@code {"joins": [...]}} for queue-service, in the order of {@code asked}. */
    static Map<String, Object> question(List<Asked> asked) {
        return Map.of("joins", asked.stream().map(a -> {
            Map<String, Object> join = new HashMap<>();
            join.put("userId", a.userId());
            join.put("traceparent", a.traceparent());
            return join;
        }).toList());
    }

    /** queue-service's {@code {"joins": [{"userId","created","view"}]}}, in the order asked. */
    static Map<Asked, Answered> read(List<Asked> asked, JsonNode answer, ObjectMapper json) {
        JsonNode joins = answer.path("joins");
        if (joins.size() != asked.size()) {
            throw new IllegalStateException("queue-service answered " + joins.size() + " of " + asked.size() + " joins");
        }
        Map<Asked, Answered> answers = new HashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            JsonNode join = joins.get(i);
            Asked one = asked.get(i);
            if (join.path("userId").asLong() != one.userId()) {
                throw new IllegalStateException("queue-service answered the joins out of order");
            }
            JsonNode view = join.path("view");
            try {
                answers.put(one, view.isObject()
                        ? new Answered(join.path("created").asBoolean(), json.writeValueAsBytes(view))
                        : Answered.failed(one));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return answers;
    }
}
