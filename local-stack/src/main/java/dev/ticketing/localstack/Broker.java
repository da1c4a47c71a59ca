package dev.ticketing.localstack;

import dev.ticketing.events.Topics;
import dev.ticketing.testsupport.StandaloneKafka;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.Map;

/**
 * The stack's Kafka broker: in the launcher's own process by default ({@code STACK_KAFKA=embedded}), or in a
 * process of its own ({@code STACK_KAFKA=process}) that can be killed and started again on its port and data.
 */
final class Broker implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker embedded;
    private final StandaloneKafka standalone;
    private final String outside;

    private Broker(EmbeddedKafkaKraftBroker embedded, StandaloneKafka standalone, String outside) {
        this.embedded = embedded;
        this.standalone = standalone;
        this.outside = outside;
    }

    static Broker start(String mode) {
        return switch (mode) {
            case "process" -> new Broker(null, StandaloneKafka.start(), null);
            case "embedded" -> {
                // The in-process KRaft broker listens on a free port; the banner and the services get it.
                EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, Topics.PARTITIONS);
                broker.brokerProperties(Map.of("auto.create.topics.enable", "false", "group.initial.rebalance.delay.ms", "0"));
                broker.afterPropertiesSet();
                yield new Broker(broker, null, null);
            }
            default -> throw new IllegalArgumentException("STACK_KAFKA must be embedded or process, not " + mode);
        };
    }

    /** A broker of the operator's ({@code STACK_KAFKA_BOOTSTRAP}): used, never started or stopped. */
    static Broker outside(String bootstrapServers) {
        return new Broker(null, null, bootstrapServers);
    }

    String bootstrapServers() {
        if (outside != null) {
            return outside;
        }
        return standalone != null ? standalone.bootstrapServers() : embedded.getBrokersAsString().replace("localhost", "127.0.0.1");
    }

    /** Kills the broker process (SIGKILL), keeping its data. */
    void kill() {
        process().stop();
    }

    /** Starts the killed broker process again, on its port and data, and waits until it answers. */
    void restart() {
        process().restart();
    }

    private StandaloneKafka process() {
        if (standalone == null) {
            throw new IllegalStateException(outside != null ? "the broker is outside this stack (STACK_KAFKA_BOOTSTRAP): it is not the stack's to stop"
                    : "the broker runs in this process and cannot be stopped alone: start the stack with STACK_KAFKA=process");
        }
        return standalone;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.destroy();
        }
        if (standalone != null) {
            standalone.close();
        }
    }
}
