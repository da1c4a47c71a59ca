package dev.ticketing.payment.reservation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How reservations are fetched from reservation-service. Two attempts of connect plus read
 * timeout, and the wait between them, stay under the 2 s budget of a synchronous call (DESIGN
 * section 2). Where reservation-service's instances are is discovery's business
 * ({@code spring.cloud.discovery.client.simple.instances}).
 *
 * @param connectTimeout per attempt
 * @param readTimeout    per attempt
 */
@ConfigurationProperties("ticketing.payment.reservations")
record ReservationDirectorySettings(
        @DefaultValue("250ms") Duration connectTimeout,
        @DefaultValue("600ms") Duration readTimeout) {
}
