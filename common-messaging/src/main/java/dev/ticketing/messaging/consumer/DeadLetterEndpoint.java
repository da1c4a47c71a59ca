package dev.ticketing.messaging.consumer;

import dev.ticketing.events.Topics;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/deadletters} on the management port of every consuming service: the operator's view of the
 * dead-letter topics this service's consumer group writes ({@code <topic>.<group>.DLT}, one per consumed topic).
 * <ul>
 *   <li>{@code GET /actuator/deadletters}: each one with how many records it holds and how many are not yet re-driven;
 *   <li>{@code GET /actuator/deadletters/{topic}}: up to 50 of those, with the exception that sent each there;
 *   <li>{@code POST /actuator/deadletters/{topic}}: sends them back to the topic they came from, key and headers
 *       kept. Safe to run twice, or on two instances at once: what was re-driven is kept as the offsets of the group
 *       {@code <dead-letter topic>.redrive}, and a record sent twice is applied once (consumers skip an event id
 *       they have processed).
 * </ul>
 * Every other consumer group of the original topic reads a re-driven record too, and skips it the same way.
 */
@Endpoint(id = "deadletters")
public class DeadLetterEndpoint {

    private static final int SHOWN = 50;

    private final DeadLetterRedriver redriver;
    /** Dead-letter topic to the topic its records came from. */
    private final Map<String, String> origins = new LinkedHashMap<>();

    public DeadLetterEndpoint(DeadLetterRedriver redriver, List<String> consumedTopics, String group) {
        this.redriver = redriver;
        consumedTopics.forEach(topic -> origins.put(Topics.deadLetter(topic, group), topic));
    }

    @ReadOperation
    public Map<String, Object> deadLetterTopics() {
        Map<String, Object> topics = new LinkedHashMap<>();
        origins.forEach((deadLetterTopic, topic) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("topic", topic);
            entry.putAll(redriver.counts(deadLetterTopic));
            topics.put(deadLetterTopic, entry);
        });
        return Map.of("deadLetterTopics", topics);
    }

    @ReadOperation
    public WebEndpointResponse<Object> waiting(@Selector String deadLetterTopic) {
        if (!origins.containsKey(deadLetterTopic)) {
            return unknown(deadLetterTopic);
        }
        return new WebEndpointResponse<>(Map.of("deadLetterTopic", deadLetterTopic, "topic", origins.get(deadLetterTopic),
                "waiting", redriver.waiting(deadLetterTopic, SHOWN)));
    }

    @WriteOperation
    public WebEndpointResponse<Object> redrive(@Selector String deadLetterTopic) {
        if (!origins.containsKey(deadLetterTopic)) {
            return unknown(deadLetterTopic);
        }
        int redriven = redriver.redrive(deadLetterTopic, origins.get(deadLetterTopic));
        return new WebEndpointResponse<>(Map.of("deadLetterTopic", deadLetterTopic, "topic", origins.get(deadLetterTopic),
                "redriven", redriven));
    }

    private WebEndpointResponse<Object> unknown(String deadLetterTopic) {
        return new WebEndpointResponse<>(Map.of("error", "not a dead-letter topic of this service: " + deadLetterTopic,
                "deadLetterTopics", origins.keySet()), WebEndpointResponse.STATUS_NOT_FOUND);
    }
}
