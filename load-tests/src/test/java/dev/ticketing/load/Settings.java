package dev.ticketing.load;

import java.time.Duration;

/** Simulation settings: an environment variable, else a system property of the same name, else the default. */
final class Settings {

    private Settings() {
    }

    static String get(String name, String fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** A duration in whole seconds, written {@code 20} or {@code 20s}. */
    static Duration seconds(String name, long fallback) {
        String value = get(name, Long.toString(fallback));
        return Duration.ofSeconds(Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value));
    }
}
