package dev.ticketing.localstack;

import dev.ticketing.events.Topics;
import dev.ticketing.localstack.Topology.Instance;
import dev.ticketing.localstack.Topology.Service;
import dev.ticketing.testsupport.TestKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The training run that makes the services' AOT caches ({@link AotCaches}) before the stack starts. */
final class AotTraining {

    private static final Logger log = LoggerFactory.getLogger(AotTraining.class);
    private static final String SCHEMA_PREFIX = "aot_training_";

    /** Creates, or drops, schemas on the stack's database. */
    interface SchemaAction {
        void apply(List<String> names) throws Exception;
    }

    /** How a service whose cache is fresh is started (with it). */
    interface JarArguments {
        List<String> apply(Service s) throws IOException;
    }

    private final AotCaches caches;
    private final Topology topology;
    private final ServiceCommands commands;
    private final Path logs;
    private final Duration startTimeout;
    private final Duration loadDuration;
    private final JarArguments jarArguments;
    private final SchemaAction createSchemas;
    private final SchemaAction dropSchemas;

    AotTraining(AotCaches caches, Topology topology, ServiceCommands commands, Path logs, Duration startTimeout,
                Duration loadDuration, JarArguments jarArguments, SchemaAction createSchemas, SchemaAction dropSchemas) {
        this.caches = caches;
        this.topology = topology;
        this.commands = commands;
        this.logs = logs;
        this.startTimeout = startTimeout;
        this.loadDuration = loadDuration;
        this.jarArguments = jarArguments;
        this.createSchemas = createSchemas;
        this.dropSchemas = dropSchemas;
    }

    /**
     * Makes the AOT cache of every wanted service whose cache is stale ({@link AotCaches#stale}): starts one instance
     * of every wanted service (the stale ones recording), on schemas and a broker of the training's own so that
     * nothing of it stays, puts them under {@link TrainingLoad} through the gateway for {@code STACK_AOT_TRAINING_SECONDS}
     * (30 by default), stops them (SIGTERM: each writes its cache as it exits) and drops the training's schemas.
     * Without the whole suite there is no way through the gateway, so the training covers start-up only.
     */
    void train(List<Service> wanted) throws Exception {
        List<Service> stale = new ArrayList<>();
        for (Service s : wanted) {
            if (caches.needsTraining(s)) {
                stale.add(s);
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        log.info("Making the {} of {} with a training run: once per build and JDK (STACK_AOT=false starts without)",
                caches.kind(), stale.stream().map(Service::module).toList());
        List<String> trainingSchemas = LocalStack.schemas(wanted, SCHEMA_PREFIX);
        createSchemas.apply(trainingSchemas);
        List<Trainee> trainees = new ArrayList<>();
        try (Broker trainingBroker = Broker.start("embedded")) {
            String bootstrap = trainingBroker.bootstrapServers();
            TestKafka.createTopics(bootstrap, Topics.PARTITIONS, Topics.ALL);
            try {
                for (Service s : wanted) {
                    Instance instance = topology.instancesOf(s).get(0);
                    ProcessBuilder pb = commands.of(instance, bootstrap, stale.contains(s) ? caches.prepareTraining(s) : jarArguments.apply(s));
                    trainingEnvironment(s, pb.environment());
                    Path logFile = logs.resolve(s.module() + "-training.log");
                    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
                    trainees.add(new Trainee(instance, pb.start(), logFile));
                }
                for (Trainee r : trainees) {
                    Readiness.await(r.instance().name(), r.process(), r.instance().managementPort(), r.log(), startTimeout);
                }
                if (wanted.size() == Topology.SERVICES.size()) {
                    new TrainingLoad(topology.instancesOf(Topology.service(Topology.GATEWAY)).get(0).port())
                            .run(32, loadDuration);
                } else {
                    log.warn("Part of the suite only: the training covers start-up, not a load (which goes through the gateway to every service)");
                }
            } finally {
                for (Trainee r : trainees) {
                    r.process().destroy();
                }
                for (Trainee r : trainees) {
                    if (!r.process().waitFor(3, TimeUnit.MINUTES)) {
                        r.process().destroyForcibly();
                    }
                }
            }
        } finally {
            dropSchemas.apply(trainingSchemas);
        }
        for (int i = 0; i < trainees.size(); i++) {
            Service s = wanted.get(i);
            if (!stale.contains(s)) {
                continue;
            }
            Path trainingLog = trainees.get(i).log();
            try {
                caches.commit(s, trainingLog);
                log.info("{} of {}: {} MB", caches.kind(), s.module(), caches.size(s) >> 20);
            } catch (IllegalStateException e) {
                // The stack still starts: this service without a cache, as it would with STACK_AOT=false.
                log.warn("{} (the training process exited with {}); {} starts without one until the next build or change of flags", e.getMessage(),
                        trainees.get(i).process().exitValue(), s.module());
            }
        }
        log.info("Training done after {} s", (System.nanoTime() - t0) / 1_000_000_000L);
    }

    /** What a training run changes in a service's settings: its own schema, and limits that a load from one address would hit. */
    private static void trainingEnvironment(Service s, Map<String, String> childEnv) {
        if (s.schema() != null) {
            childEnv.put("DB_NAME", SCHEMA_PREFIX + s.schema());
        }
        if (s.module().equals("concert-service")) {
            childEnv.put("SPRING_PROFILES_ACTIVE", "demo"); // something to buy
        }
        childEnv.put("QUEUE_ADMIT_PER_SECOND", "1000");
        childEnv.put("QUEUE_MAX_ACTIVE", "100000");
        for (String limit : List.of("JOIN", "PER_TOKEN", "PER_ADDRESS")) {
            childEnv.put("RATE_LIMIT_" + limit + "_PER_SECOND", "100000");
            childEnv.put("RATE_LIMIT_" + limit + "_BURST", "100000");
        }
    }

    private record Trainee(Instance instance, Process process, Path log) {
    }
}
