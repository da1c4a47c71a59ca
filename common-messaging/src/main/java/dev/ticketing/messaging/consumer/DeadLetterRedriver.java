package dev.ticketing.messaging.consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends dead-lettered records back to the topic they came from, once the cause is fixed. Progress
 * is kept as the committed offsets of the group {@code <dead-letter topic>.redrive}, so a record
 * is re-driven once however often this runs. The record goes back with its key (same partition,
 * same order) and original headers; consumers that already applied it skip it by its event id.
 */
public class DeadLetterRedriver {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedriver.class);

    private final Map<String, Object> consumerConfig;
    private final KafkaTemplate<String, String> producer;

    public DeadLetterRedriver(Map<String, Object> kafkaConfig, KafkaTemplate<String, String> producer) {
        this.consumerConfig = new HashMap<>(kafkaConfig);
        this.producer = producer;
    }

    /** A dead-lettered record not yet re-driven, as an operator reads it. */
    public record DeadLetter(int partition, long offset, String key, Instant timestamp, String exception,
                             String reason, String value) {
    }

    /** How many records {@code deadLetterTopic} holds in all, and how many of them are not yet re-driven. */
    public Map<String, Long> counts(String deadLetterTopic) {
        try (KafkaConsumer<String, String> consumer = consumer(deadLetterTopic)) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(partitions));
            long all = 0;
            long waiting = 0;
            for (TopicPartition tp : partitions) {
                all += end.get(tp) - start.get(tp);
                OffsetAndMetadata committed = done.get(tp);
                waiting += end.get(tp) - Math.max(start.get(tp), committed == null ? 0 : committed.offset());
            }
            return Map.of("records", all, "waiting", waiting);
        }
    }

    /** Up to {@code max} records of {@code deadLetterTopic} not yet re-driven, oldest first per partition. */
    public List<DeadLetter> waiting(String deadLetterTopic, int max) {
        List<DeadLetter> result = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(deadLetterTopic)) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (result.size() < max && System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (result.size() < max) {
                        result.add(new DeadLetter(record.partition(), record.offset(), record.key(),
                                Instant.ofEpochMilli(record.timestamp()), exception(record),
                                header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE), record.value()));
                    }
                }
            }
        }
        return result;
    }

    /** The exception that dead-lettered the record: the cause Spring's listener wrapper carries, when there is one. */
    private static String exception(ConsumerRecord<String, String> record) {
        String cause = header(record, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN);
        return cause != null ? cause : header(record, KafkaHeaders.DLT_EXCEPTION_FQCN);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Re-drives every record now in {@code deadLetterTopic} to {@code originalTopic}; returns how many. */
    public int redrive(String deadLetterTopic, String originalTopic) {
        int count = 0;
        try (KafkaConsumer<String, String> consumer = consumer(deadLetterTopic)) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    RecordHeaders headers = new RecordHeaders();
                    for (Header h : record.headers()) {
                        if (!h.key().startsWith(KafkaHeaders.PREFIX)) { // drop the dead-letter bookkeeping
                            headers.add(h);
                        }
                    }
                    producer.send(new ProducerRecord<>(originalTopic, null, record.key(), record.value(), headers))
                            .get(30, TimeUnit.SECONDS);
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                    count++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Re-drive interrupted after " + count + " records", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Re-drive stopped after " + count + " records: could not publish", e);
        }
        log.info("Re-drove {} records from {} to {}", count, deadLetterTopic, originalTopic);
        return count;
    }

    /** A consumer in the topic's re-drive group, which keeps what was re-driven; it commits nothing by itself. */
    private KafkaConsumer<String, String> consumer(String deadLetterTopic) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, deadLetterTopic + ".redrive");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
