package dev.ticketing.gateway.admission;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order questions reach queue-service in: the order they arrived at the gateway. For joins that order is
 * the queue's first come, first served (queue-service gives sequences in the order a call lists its joins).
 */
class BatcherTest {

    /** Every batch sent, with its keys in the order the call got them. */
    private final List<List<UUID>> sent = new CopyOnWriteArrayList<>();
    /** Holds the calls open until the test lets them go, so that the questions after them pile up. */
    private final Sinks.Empty<Void> callsMayEnd = Sinks.empty();

    private Mono<Map<UUID, String>> call(Set<UUID> keys) {
        sent.add(List.copyOf(keys));
        Map<UUID, String> answers = keys.stream().collect(Collectors.toMap(Function.identity(), UUID::toString));
        return callsMayEnd.asMono().thenReturn(answers);
    }

    @Test
    void sendsTheQuestionsOfABatchInTheOrderTheyArrived() {
        Batcher<UUID, String> batcher = new Batcher<>(25, this::call, key -> "not found",
                TimeLimiter.of(Duration.ofSeconds(10)), CircuitBreaker.ofDefaults("batcher-test"), Duration.ofSeconds(10));
        // As many calls out as the batcher allows, one question each; then 100 more questions, one after another
        // (random ids, so that no hash order happens to be the arrival order), which pile up meanwhile and leave
        // in batches of 25 once the calls are answered.
        List<UUID> arrived = new ArrayList<>();
        List<Mono<String>> answers = new ArrayList<>();
        for (int i = 0; i < Batcher.BATCHES_IN_FLIGHT + 100; i++) {
            UUID key = UUID.randomUUID();
            arrived.add(key);
            Mono<String> answer = batcher.ask(key).cache();
            answer.subscribe(); // asked now, in this order
            answers.add(answer);
            if (i < Batcher.BATCHES_IN_FLIGHT) {
                int calls = i + 1;
                await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == calls);
            }
        }
        callsMayEnd.tryEmitEmpty();

        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).block(Duration.ofSeconds(10))).isEqualTo(arrived.get(i).toString());
        }
        assertThat(sent.subList(Batcher.BATCHES_IN_FLIGHT, sent.size())).as("the batches of the questions that piled up")
                .hasSize(4)
                .allSatisfy(batch -> assertThat(batch.stream().map(arrived::indexOf).toList())
                        .as("arrival order of a batch's keys").hasSize(25).isSorted());
        assertThat(sent.stream().flatMap(List::stream)).as("every question asked once")
                .containsExactlyInAnyOrderElementsOf(arrived);
    }
}
