package dev.ticketing.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** The topics as an operator or analytics consumer sees them, with plain kafka-clients. */
final class KafkaTopics implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;

    KafkaTopics(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Waits until {@code group} has committed every record of {@code topic} written so far. */
    void awaitConsumed(String group, String topic) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> lag(group, topic) == 0);
    }

    long lag(String group, String topic) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * Moves {@code group}'s committed offsets on {@code topic} back to the beginning, as
     * {@code kafka-consumer-groups --reset-offsets --to-earliest} does; the group must have no members.
     * Returns how many records the group will be given again.
     */
    long rewind(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> earliest = endOffsets(topic).keySet().stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest()));
        Map<TopicPartition, OffsetAndMetadata> start = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS)
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
        admin.alterConsumerGroupOffsets(group, start).all().get(10, TimeUnit.SECONDS);
        long again = 0;
        for (var first : start.entrySet()) {
            OffsetAndMetadata done = committed.get(first.getKey());
            again += (done == null ? first.getValue().offset() : done.offset()) - first.getValue().offset();
        }
        return again;
    }

    /** Every record of the topic so far, in order per partition. */
    List<ConsumerRecord<String, String>> readAll(String topic) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Sends the records again, same key, value and headers: a redelivery of every one of them. */
    void redeliver(String topic, List<ConsumerRecord<String, String>> records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (ConsumerRecord<String, String> r : records) {
                producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value(), r.headers()));
            }
            producer.flush();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
