package dev.ticketing.messaging.outbox;

import dev.ticketing.events.BalanceCharged;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relay benchmark on the embedded MariaDB and KRaft broker (a measurement, not a test):
 * <ol>
 *   <li>drain: events committed while the relay is paused, then the time to publish them all;</li>
 *   <li>its yardstick: the same number of records sent with the same producer settings and no database;</li>
 *   <li>sustained: writers commit as fast as they can for a while with the relay running;</li>
 *   <li>latency at rest: one event per transaction at a steady modest rate; commit-to-ack from
 *   the relay's timer, and commit-to-consumer-receipt from a plain consumer.</li>
 * </ol>
 * Run: {@code ./mvnw -B -pl common-messaging -am -Prelay-benchmark -DskipTests verify}; settings from
 * environment variables such as {@code BENCH_BATCH=1000} (see {@link #intSetting}).
 */
public final class OutboxRelayBenchmark {

    private static final int WARMUP_EVENTS = intSetting("warmup.events", 20_000);
    private static final int DRAIN_EVENTS = intSetting("drain.events", 50_000);
    private static final int SUSTAINED_SECONDS = intSetting("sustained.seconds", 20);
    private static final int WRITERS = intSetting("writers", 4);
    private static final int EVENTS_PER_TX = intSetting("events.per.tx", 1);
    private static final int AT_REST_RATE = intSetting("rest.rate", 200);
    private static final int AT_REST_SECONDS = intSetting("rest.seconds", 20);

    private static final int BATCH = intSetting("batch", OutboxProperties.defaults().batchSize());

    private OutboxRelayBenchmark() {
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // the in-process broker's threads would keep the JVM (and the Maven build) alive
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        String bootstrap = OutboxRig.sharedBroker();
        Clock clock = Clock.systemUTC();
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "machine: %d cores, JVM %s; relay batch %d, poll %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                BATCH, OutboxProperties.defaults().pollInterval()));

        // Warm-up: the same drain, unmeasured, so the JIT has compiled the paths being timed.
        try (OutboxRig rig = new OutboxRig("relay_bench_warmup")) {
            Outbox outbox = rig.outbox(clock);
            OutboxRelay relay = rig.relay(bootstrap, props(), clock, new SimpleMeterRegistry());
            write(rig, outbox, OutboxRig.uniqueUserBase(), WARMUP_EVENTS, WRITERS, 50);
            relay.start();
            while (rig.unsent() > 0) {
                Thread.sleep(20);
            }
        }

        double drainRate;
        try (OutboxRig rig = new OutboxRig("relay_bench_drain")) {
            Outbox outbox = rig.outbox(clock);
            OutboxRelay relay = rig.relay(bootstrap, props(), clock, new SimpleMeterRegistry());
            long base = OutboxRig.uniqueUserBase();
            long t0 = System.nanoTime();
            write(rig, outbox, base, DRAIN_EVENTS, WRITERS, 50);
            double insertSeconds = seconds(System.nanoTime() - t0);
            relay.start();
            long start = System.nanoTime();
            while (rig.unsent() > 0) {
                Thread.sleep(20);
            }
            double drainSeconds = seconds(System.nanoTime() - start);
            drainRate = DRAIN_EVENTS / drainSeconds;
            report.add(String.format(Locale.ROOT, "drain: %,d events published in %.2f s = %,.0f events/s (written in %.2f s beforehand, 50 per tx)",
                    DRAIN_EVENTS, drainSeconds, DRAIN_EVENTS / drainSeconds, insertSeconds));
        }

        // The yardstick: the same producer settings sending records of the same shape as fast as they go,
        // with no database at all; what a relay could reach if reading and marking rows cost nothing.
        KafkaTemplate<String, String> bare = ReliableProducer.template(bootstrap);
        try {
            bareSend(bare, WARMUP_EVENTS); // unmeasured: JIT
            long t0 = System.nanoTime();
            bareSend(bare, DRAIN_EVENTS);
            double bareSeconds = seconds(System.nanoTime() - t0);
            report.add(String.format(Locale.ROOT, "bare KafkaTemplate send loop (same producer settings, no database): %,d events in %.2f s = %,.0f events/s",
                    DRAIN_EVENTS, bareSeconds, DRAIN_EVENTS / bareSeconds));
            report.add(String.format(Locale.ROOT, "relay drain / bare send: %.2f", drainRate / (DRAIN_EVENTS / bareSeconds)));
        } finally {
            bare.destroy();
        }

        try (OutboxRig rig = new OutboxRig("relay_bench_sustained")) {
            Outbox outbox = rig.outbox(clock);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            OutboxRelay relay = rig.relay(bootstrap, props(), clock, meters);
            relay.start();
            AtomicLong committed = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            long base = OutboxRig.uniqueUserBase();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                pool.submit(() -> {
                    long seq = 0;
                    while (!stop.get()) {
                        long s = ++seq;
                        rig.tx.executeWithoutResult(st -> {
                            for (int e = 0; e < EVENTS_PER_TX; e++) {
                                outbox.publish(new BalanceCharged(base + writer * 100 + e, s, 1, 1));
                            }
                        });
                        committed.addAndGet(EVENTS_PER_TX);
                    }
                });
            }
            Thread.sleep(SUSTAINED_SECONDS * 1000L);
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            double publishedDuring = meters.get("outbox.published").counter().count();
            long backlogAtEnd = rig.unsent();
            report.add(String.format(Locale.ROOT,
                    "sustained: %d writers x %d event(s)/tx for %d s: committed %,.0f events/s, published %,.0f events/s, backlog at end %,d",
                    WRITERS, EVENTS_PER_TX, SUSTAINED_SECONDS, committed.get() / (double) SUSTAINED_SECONDS,
                    publishedDuring / SUSTAINED_SECONDS, backlogAtEnd));
            while (rig.unsent() > 0) {
                Thread.sleep(20);
            }
        }

        try (OutboxRig rig = new OutboxRig("relay_bench_rest");
             KafkaConsumer<String, String> consumer = tailingConsumer(bootstrap)) {
            Outbox outbox = rig.outbox(clock);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            OutboxRelay relay = rig.relay(bootstrap, props(), clock, meters);
            relay.start();
            long user = OutboxRig.uniqueUserBase();
            Map<Long, Long> committedAt = new ConcurrentHashMap<>();
            List<Long> endToEnd = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        if (r.key().equals(Long.toString(user))) {
                            Long at = committedAt.get(((BalanceCharged) EventJson.read(r.value()).payload()).chargeId());
                            if (at != null) {
                                synchronized (endToEnd) {
                                    endToEnd.add(now - at);
                                }
                            }
                        }
                    }
                }
            }, "bench-reader");
            reader.start();
            Thread.sleep(1000); // let the reader's assignment settle before the first event
            long intervalNanos = 1_000_000_000L / AT_REST_RATE;
            long next = System.nanoTime();
            int total = AT_REST_RATE * AT_REST_SECONDS;
            for (int i = 1; i <= total; i++) {
                long id = i;
                rig.tx.executeWithoutResult(st -> outbox.publish(new BalanceCharged(user, id, 1, 1)));
                committedAt.put(id, System.nanoTime());
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                synchronized (endToEnd) {
                    if (endToEnd.size() >= total) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
            stop.set(true);
            reader.join();
            Timer ack = meters.get("outbox.publish.latency").timer();
            long[] e2e;
            synchronized (endToEnd) {
                e2e = endToEnd.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            report.add(String.format(Locale.ROOT,
                    "at rest: %d events/s for %d s, 1 event/tx: commit->ack p50 %.1f ms, p99 %.1f ms, max %.1f ms (relay timer, %d events)",
                    AT_REST_RATE, AT_REST_SECONDS, percentile(ack, 0.5), percentile(ack, 0.99), ack.max(TimeUnit.MILLISECONDS), ack.count()));
            report.add(String.format(Locale.ROOT,
                    "at rest: commit->consumer receipt p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d of %d events received)",
                    millis(e2e, 0.5), millis(e2e, 0.99), e2e.length == 0 ? Double.NaN : e2e[e2e.length - 1] / 1e6, e2e.length, total));
        }

        System.out.println();
        System.out.println("== Outbox relay benchmark ==");
        report.forEach(System.out::println);
        System.out.println();
    }

    /** Sends {@code events} BalanceCharged envelopes to their topic, all asynchronously, and waits for every acknowledgement. */
    private static void bareSend(KafkaTemplate<String, String> template, int events) throws Exception {
        long base = OutboxRig.uniqueUserBase();
        List<CompletableFuture<?>> acks = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            EventEnvelope envelope = EventEnvelope.of(new BalanceCharged(base + i % 100, i + 1, 1, 1), UUID.randomUUID(), Instant.now());
            acks.add(template.send(envelope.topic(), envelope.key(), EventJson.write(envelope)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    private static void write(OutboxRig rig, Outbox outbox, long base, int events, int writers, int perTx) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        int perWriter = events / writers;
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                for (int done = 0; done < perWriter; done += perTx) {
                    int first = done;
                    rig.tx.executeWithoutResult(st -> {
                        for (int e = 0; e < perTx; e++) {
                            outbox.publish(new BalanceCharged(base + writer * 50 + e, first + e + 1, 1, 1));
                        }
                    });
                }
            }));
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static KafkaConsumer<String, String> tailingConsumer(String bootstrap) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PAYMENT_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now
        return consumer;
    }

    private static OutboxProperties props() {
        OutboxProperties d = OutboxProperties.defaults();
        return new OutboxProperties(d.enabled(), d.pollInterval(), BATCH, d.leaseTtl(), d.retention(), d.purgeInterval(), false);
    }

    /** The upper bound of the histogram bucket holding the p-quantile (the relay's timer publishes buckets). */
    private static double percentile(Timer timer, double p) {
        var snapshot = timer.takeSnapshot();
        for (var bucket : snapshot.histogramCounts()) {
            if (bucket.count() >= p * snapshot.count()) {
                return bucket.bucket(TimeUnit.MILLISECONDS);
            }
        }
        return Double.NaN;
    }

    private static double millis(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A setting from the environment, e.g. BENCH_DRAIN_EVENTS for "drain.events". */
    private static int intSetting(String name, int fallback) {
        String env = System.getenv("BENCH_" + name.toUpperCase(Locale.ROOT).replace('.', '_'));
        return env == null || env.isBlank() ? fallback : Integer.parseInt(env.trim());
    }
}
