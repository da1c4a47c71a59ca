package dev.ticketing.messaging.outbox;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.util.Map;

/**
 * {@code /actuator/outbox} on the management port, present only when {@code
 * ticketing.outbox.test-switch=true}: reads whether the relay is paused and pauses or resumes it
 * ({@code POST {"paused": true}}). Paused, committed events wait in the outbox table; nothing is lost.
 */
@Endpoint(id = "outbox")
public class OutboxTestSwitchEndpoint {

    private final OutboxRelay relay;

    public OutboxTestSwitchEndpoint(OutboxRelay relay) {
        this.relay = relay;
    }

    @ReadOperation
    public Map<String, Object> state() {
        return Map.of("paused", relay.isPaused(), "leader", relay.isLeader());
    }

    @WriteOperation
    public Map<String, Object> pause(boolean paused) {
        if (paused) {
            relay.pause();
        } else {
            relay.resume();
        }
        return state();
    }
}
