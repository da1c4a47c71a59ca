package dev.ticketing.reservation.schedule;

import java.time.Instant;
import java.util.List;

/** What reservation-service needs of a schedule: when it starts, its seats and their prices. */
public record ScheduleInfo(long scheduleId, long concertId, Instant startsAt, int seatCount, List<SeatPrice> seats) {

    public record SeatPrice(int seatNo, String grade, long price) {
    }

    /** Whether every seat number is a seat of this schedule. */
    public boolean hasSeats(List<Integer> seatNos) {
        return seatNos.stream().allMatch(s -> s >= 1 && s <= seatCount);
    }

    /**
     * The seats among {@code seatNos} that have no price (0 or less, which concert-service no longer stores) or
     * none listed: not for sale.
     */
    public List<Integer> unpricedAmong(List<Integer> seatNos) {
        return seatNos.stream()
                .filter(seatNo -> seats.stream().noneMatch(s -> s.seatNo() == seatNo && s.price() > 0))
                .toList();
    }

    /** The price of the seats; every seat must exist. */
    public long priceOf(List<Integer> seatNos) {
        long total = 0;
        for (int seatNo : seatNos) {
            total += seats.stream().filter(s -> s.seatNo() == seatNo).findFirst()
                    .orElseThrow(() -> new IllegalStateException("schedule " + scheduleId + " has no price for seat " + seatNo))
                    .price();
        }
        return total;
    }

    public boolean hasStartedAt(Instant now) {
        return !startsAt.isAfter(now);
    }
}
