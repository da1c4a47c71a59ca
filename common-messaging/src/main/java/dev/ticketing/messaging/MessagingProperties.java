package dev.ticketing.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Kafka wiring shared by the services.
 *
 * @param consumes            topics this service consumes; their dead-letter topics are created
 * @param partitions          partitions of every topic the application creates
 * @param replicationFactor   replication of the topics the application creates (1 locally)
 * @param createTopics        whether KafkaAdmin creates the topics (Strimzi does in Kubernetes)
 * @param maxRetryBackoff     cap of the backoff between retries of a transient failure
 * @param processedRetention  how long processed-event ids are kept (longer than topic retention)
 */
@ConfigurationProperties("ticketing.messaging")
public record MessagingProperties(
        @DefaultValue List<String> consumes,
        @DefaultValue("6") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("true") boolean createTopics,
        @DefaultValue("5s") Duration maxRetryBackoff,
        @DefaultValue("8d") Duration processedRetention) {
}
