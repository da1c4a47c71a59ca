package dev.ticketing.checker;

import java.util.Objects;
import java.util.regex.Pattern;

/** The names of the four services' schemas on the server the checker reads. */
public record Schemas(String queue, String concert, String reservation, String payment) {

    // Names go into SQL as quoted identifiers, so only plain ones are accepted.
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    /** The names the embedded run and docker-compose use. */
    public static final Schemas DEFAULT = new Schemas("queue", "concert", "reservation", "payment");

    public Schemas {
        requirePlain(queue, "queue");
        requirePlain(concert, "concert");
        requirePlain(reservation, "reservation");
        requirePlain(payment, "payment");
    }

    /**
     * These names with some replaced, from {@code "payment=pay_1,queue=q_1"}: pairs of a role
     * (queue, concert, reservation, payment) and a schema name; roles not named keep theirs.
     */
    public Schemas withOverrides(String overrides) {
        Schemas result = this;
        if (overrides == null || overrides.isBlank()) {
            return result;
        }
        for (String pair : overrides.split(",")) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected role=schema, got '" + pair.trim() + "'");
            }
            String name = parts[1].trim();
            result = switch (parts[0].trim()) {
                case "queue" -> new Schemas(name, result.concert, result.reservation, result.payment);
                case "concert" -> new Schemas(result.queue, name, result.reservation, result.payment);
                case "reservation" -> new Schemas(result.queue, result.concert, name, result.payment);
                case "payment" -> new Schemas(result.queue, result.concert, result.reservation, name);
                default -> throw new IllegalArgumentException(
                        "unknown schema role '" + parts[0].trim() + "' (queue, concert, reservation, payment)");
            };
        }
        return result;
    }

    private static void requirePlain(String name, String role) {
        Objects.requireNonNull(name, role);
        if (!PLAIN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name for " + role + " must match " + PLAIN_NAME + ": '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return "queue=" + queue + ",concert=" + concert + ",reservation=" + reservation + ",payment=" + payment;
    }
}
