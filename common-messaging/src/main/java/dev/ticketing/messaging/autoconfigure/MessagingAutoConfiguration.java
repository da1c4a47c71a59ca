package dev.ticketing.messaging.autoconfigure;

import dev.ticketing.events.Topics;
import dev.ticketing.messaging.MessagingProperties;
import dev.ticketing.messaging.RetentionPurger;
import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.messaging.outbox.OutboxTestSwitchEndpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.messaging.consumer.ConsumerErrorHandling;
import dev.ticketing.messaging.consumer.ConsumersEndpoint;
import dev.ticketing.messaging.tracing.TraceparentSource;
import dev.ticketing.messaging.web.CallerArgumentResolver;
import dev.ticketing.messaging.consumer.DeadLetterEndpoint;
import dev.ticketing.messaging.consumer.DeadLetterRedriver;
import dev.ticketing.messaging.consumer.IdempotentConsumer;
import dev.ticketing.messaging.health.KafkaHealthIndicator;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.messaging.outbox.OutboxProperties;
import dev.ticketing.messaging.outbox.OutboxRelay;
import dev.ticketing.messaging.outbox.ReliableProducer;
import dev.ticketing.messaging.schema.MessagingSchema;
import dev.ticketing.messaging.tracing.CurrentTraceparent;
import dev.ticketing.messaging.web.ActuatorProblemAdvice;
import dev.ticketing.messaging.web.ProblemAdvice;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Wires the outbox, its relay, idempotent consumers, the listener error policy and the topics
 * into every service that has this library on its class path.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
        "org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration",
        "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties({OutboxProperties.class, MessagingProperties.class})
public class MessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The idempotent, acks=all producer used by the relay and the dead-letter publisher. */
    @Bean(destroyMethod = "destroy")
    MessagingProducer messagingProducer(KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles) {
        return new MessagingProducer(ReliableProducer.template(kafka.buildProducerProperties(sslBundles.getIfAvailable())));
    }

    @Bean
    DeadLetterRedriver deadLetterRedriver(KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles,
                                          MessagingProducer producer) {
        return new DeadLetterRedriver(kafka.buildConsumerProperties(sslBundles.getIfAvailable()), producer.template());
    }

    /**
     * {@code /actuator/deadletters}: list, inspect and re-drive the dead-letter topics of what this service consumes
     * (docs/operations.md, Dead letters). Exposed where a service lists it in management.endpoints.web.exposure.
     */
    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    DeadLetterEndpoint deadLetterEndpoint(DeadLetterRedriver redriver, MessagingProperties props, Environment env) {
        return new DeadLetterEndpoint(redriver, props.consumes(), consumerGroup(env));
    }

    /**
     * {@code /actuator/consumers}: this instance's event consumers, stopped and started without stopping the service
     * (docs/operations.md, Replaying a topic). Exposed where a service lists it in management.endpoints.web.exposure.
     */
    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    ConsumersEndpoint consumersEndpoint(KafkaListenerEndpointRegistry registry) {
        return new ConsumersEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    CommonErrorHandler messagingErrorHandler(MessagingProducer producer, MessagingProperties props, Environment env,
                                             ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        String group = consumerGroup(env);
        props.consumes().forEach(topic -> {
            ConsumerErrorHandling.deadLetterCounter(registry, topic, group);
            ConsumerErrorHandling.failureCounter(registry, topic, group, false);
        });
        return ConsumerErrorHandling.errorHandler(producer.template(), group, props.maxRetryBackoff(), registry);
    }

    @Bean
    @ConditionalOnProperty(prefix = "ticketing.messaging", name = "create-topics", matchIfMissing = true)
    KafkaAdmin.NewTopics messagingTopics(MessagingProperties props, Environment env) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            topics.add(new NewTopic(topic, props.partitions(), props.replicationFactor()));
        }
        String group = consumerGroup(env);
        for (String consumed : props.consumes()) {
            topics.add(new NewTopic(Topics.deadLetter(consumed, group), props.partitions(), props.replicationFactor()));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class KafkaHealth {

        /** Named "kafka", so health groups can list it next to "db". */
        @Bean(name = "kafkaHealthIndicator")
        @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
        KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles) {
            return new KafkaHealthIndicator(kafka.buildAdminProperties(sslBundles.getIfAvailable()));
        }
    }

    /** problem+json for every error of a servlet service (the gateway has its own, reactive). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.validation.ConstraintViolationException")
    static class WebProblems {
        @Bean
        @ConditionalOnMissingBean
        ProblemAdvice problemAdvice() {
            return new ProblemAdvice();
        }

        /** Controller methods take the caller the gateway names as a parameter of type Caller. */
        @Bean
        WebMvcConfigurer callerParameters() {
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(new CallerArgumentResolver());
                }
            };
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException")
        static class ActuatorProblems {
            @Bean
            ActuatorProblemAdvice actuatorProblemAdvice() {
                return new ActuatorProblemAdvice();
            }
        }
    }

    /** With Micrometer Tracing on the class path, outbox rows carry the current span (DESIGN section 7). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
    static class Tracing {
        @Bean
        @ConditionalOnMissingBean
        TraceparentSource traceparentSource(ObjectProvider<io.micrometer.tracing.Tracer> tracer,
                                            ObjectProvider<io.micrometer.tracing.propagation.Propagator> propagator) {
            return new CurrentTraceparent(tracer, propagator);
        }
    }

    static String consumerGroup(Environment env) {
        return env.getProperty("spring.kafka.consumer.group-id",
                env.getProperty("spring.application.name", "application"));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DataSource.class)
    static class DatabaseMessaging {

        /**
         * Runs after the service's own Flyway migrations (Flyway refuses to start on a schema that
         * holds tables but no history of its own; the messaging history baselines instead). With the service's
         * migrations off ({@code spring.flyway.enabled=false}), the messaging tables' are off too.
         */
        @Bean
        MessagingSchema messagingSchema(DataSource dataSource, ObjectProvider<FlywayMigrationInitializer> serviceMigrations,
                                        Environment environment) {
            if (!environment.getProperty("spring.flyway.enabled", Boolean.class, true)) {
                return MessagingSchema.assumedMigrated();
            }
            serviceMigrations.orderedStream().forEach(initializer -> { });
            return MessagingSchema.migrate(dataSource);
        }

        @Bean
        @ConditionalOnProperty(prefix = "ticketing.outbox", name = "enabled", matchIfMissing = true)
        OutboxRelay outboxRelay(MessagingSchema schema, JdbcTemplate jdbc, MessagingProducer producer,
                                OutboxProperties props, Clock clock, ObjectProvider<MeterRegistry> meters) {
            return new OutboxRelay(jdbc, producer.template(), props, clock, meters.getIfAvailable(SimpleMeterRegistry::new));
        }

        @Bean
        @ConditionalOnBean(OutboxRelay.class)
        Outbox outbox(JdbcTemplate jdbc, Clock clock, OutboxRelay relay, ObjectProvider<TraceparentSource> trace) {
            TraceparentSource source = trace.getIfAvailable(() -> () -> null);
            Supplier<String> traceparent = source::current;
            return new Outbox(jdbc, clock, relay::wake, traceparent);
        }

        @Bean
        IdempotentConsumer idempotentConsumer(MessagingSchema schema, JdbcTemplate jdbc,
                                              PlatformTransactionManager transactions, Clock clock, Environment env,
                                              ObjectProvider<MeterRegistry> meters) {
            return new IdempotentConsumer(jdbc, new TransactionTemplate(transactions), clock, consumerGroup(env),
                    meters.getIfAvailable(SimpleMeterRegistry::new));
        }

        /** Commands honouring Idempotency-Key (R1, B2, P1); replayable for 24 h. */
        @Bean
        @ConditionalOnBean(ObjectMapper.class)
        IdempotentCommands idempotentCommands(MessagingSchema schema, JdbcTemplate jdbc,
                                              PlatformTransactionManager transactions, ObjectMapper mapper, Clock clock) {
            return new IdempotentCommands(jdbc, new TransactionTemplate(transactions), mapper, clock,
                    Duration.ofHours(24), Duration.ofMinutes(1));
        }

        @Bean
        RetentionPurger retentionPurger(IdempotentConsumer consumer, MessagingProperties props,
                                        ObjectProvider<IdempotentCommands> commands, ObjectProvider<OutboxRelay> relay,
                                        OutboxProperties outbox) {
            List<RetentionPurger.Purge> purges = new ArrayList<>();
            purges.add(new RetentionPurger.Purge("processed-event ids", Duration.ofHours(1),
                    () -> consumer.purgeOlderThan(props.processedRetention())));
            commands.ifAvailable(c -> purges.add(new RetentionPurger.Purge("idempotency records", Duration.ofHours(1), c::purgeExpired)));
            relay.ifAvailable(r -> purges.add(new RetentionPurger.Purge("sent outbox rows", outbox.purgeInterval(), r::purgeIfLeader)));
            return new RetentionPurger(purges);
        }

        /**
         * Test-only switch (off by default): pause and resume this service's relay through the
         * management port, so an end-to-end test can hold events back (DESIGN section 11).
         */
        @Bean
        @ConditionalOnBean(OutboxRelay.class)
        @ConditionalOnProperty(prefix = "ticketing.outbox", name = "test-switch", havingValue = "true")
        @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
        OutboxTestSwitchEndpoint outboxTestSwitchEndpoint(OutboxRelay relay) {
            return new OutboxTestSwitchEndpoint(relay);
        }
    }

    /** Holder of the reliable producer, so it is not mistaken for the application's KafkaTemplate. */
    public static final class MessagingProducer {
        private final KafkaTemplate<String, String> template;

        MessagingProducer(KafkaTemplate<String, String> template) {
            this.template = template;
        }

        public KafkaTemplate<String, String> template() {
            return template;
        }

        void destroy() {
            template.getProducerFactory().reset();
        }
    }
}
