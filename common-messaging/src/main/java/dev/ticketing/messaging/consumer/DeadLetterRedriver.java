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

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Re-drives every record now in {@code deadLetterTopic} to {@code originalTopic}; returns how many. */
    public int redrive(String deadLetterTopic, String originalTopic) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, deadLetterTopic + ".redrive");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        int count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(deadLetterTopic, p.partition())).toList();
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
}
