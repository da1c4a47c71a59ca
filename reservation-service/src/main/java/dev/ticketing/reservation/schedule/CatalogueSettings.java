package dev.ticketing.reservation.schedule;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How schedules are fetched from concert-service. Two attempts of connect plus read timeout, and
 * the wait between them, stay under the 2 s budget of a synchronous call (DESIGN section 2). Where
 * concert-service's instances are is discovery's business ({@code spring.cloud.discovery.client.simple.instances}).
 *
 * @param connectTimeout per attempt
 * @param readTimeout    per attempt
 * @param refreshAfter   a cached schedule is reloaded in the background after this long
 * @param expireAfter    a cached schedule is served (also while concert-service is down) for at most this long
 */
@ConfigurationProperties("ticketing.reservation.catalogue")
record CatalogueSettings(
        @DefaultValue("250ms") Duration connectTimeout,
        @DefaultValue("600ms") Duration readTimeout,
        @DefaultValue("30s") Duration refreshAfter,
        @DefaultValue("10m") Duration expireAfter) {
}
