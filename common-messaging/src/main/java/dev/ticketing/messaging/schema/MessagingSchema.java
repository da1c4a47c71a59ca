package dev.ticketing.messaging.schema;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Creates and upgrades the messaging tables (outbox, processed events, leases) in a service's
 * schema. They have a Flyway history table of their own, so the library's migrations and the
 * service's migrations are numbered independently and can never collide.
 */
public final class MessagingSchema {

    public static final String HISTORY_TABLE = "messaging_schema_history";
    public static final String LOCATION = "classpath:db/messaging";

    private MessagingSchema() {
    }

    private MessagingSchema(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                // The service's own migrations may have run first: the schema is then not empty.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /** Migrates the messaging tables on {@code dataSource}; returns a marker for dependants. */
    public static MessagingSchema migrate(DataSource dataSource) {
        return new MessagingSchema(dataSource);
    }

    /**
     * The marker without a migration, where the service's migrations are off ({@code spring.flyway.enabled=false}:
     * the schema is migrated by someone else, or, in an image's AOT training run, there is no database at all).
     */
    public static MessagingSchema assumedMigrated() {
        return new MessagingSchema();
    }
}
