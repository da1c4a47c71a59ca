package dev.ticketing.concert.catalogue;

import java.time.Instant;
import java.util.List;

/**
 * What reservation-service needs to know of a date: when it starts, how many seats it has, and
 * each seat's grade and price. The field names are a contract with reservation-service.
 */
record ScheduleLayout(long scheduleId, long concertId, Instant startsAt, int seatCount, List<SeatLayout> seats) {
}
