package dev.ticketing.messaging.consumer;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/consumers} on the management port of every consuming service: this instance's event consumers,
 * and a switch to stop and start them without stopping the service (its API, outbox relay and jobs go on).
 * <ul>
 *   <li>{@code GET /actuator/consumers}: each listener with its group, topics and whether it runs;
 *   <li>{@code POST /actuator/consumers} with {@code {"running": false}}: stops them, answering once each has
 *       committed what it processed and left its group (so that, once every instance is stopped, the group is empty
 *       and its offsets can be moved: docs/operations.md, "Replaying a topic"); {@code {"running": true}} starts
 *       them again from the group's committed offsets.
 * </ul>
 * Stopping is per instance and not remembered: an instance that starts later consumes as usual.
 */
@Endpoint(id = "consumers")
public class ConsumersEndpoint {

    private final KafkaListenerEndpointRegistry registry;

    public ConsumersEndpoint(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public Map<String, Object> consumers() {
        List<Map<String, Object>> listeners = new ArrayList<>();
        for (MessageListenerContainer container : registry.getAllListenerContainers()) {
            Map<String, Object> listener = new LinkedHashMap<>();
            listener.put("id", container.getListenerId());
            listener.put("group", container.getGroupId());
            String[] topics = container.getContainerProperties().getTopics();
            listener.put("topics", topics == null ? List.of() : Arrays.asList(topics));
            listener.put("running", container.isRunning());
            listeners.add(listener);
        }
        return Map.of("consumers", listeners);
    }

    @WriteOperation
    public Map<String, Object> running(boolean running) {
        for (MessageListenerContainer container : registry.getAllListenerContainers()) {
            if (running) {
                container.start();
            } else if (container instanceof AbstractMessageListenerContainer<?, ?> stoppable) {
                stoppable.stop(true); // waits until the consumer is closed
            } else {
                container.stop();
            }
        }
        return consumers();
    }
}
