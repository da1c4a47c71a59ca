package dev.ticketing.concert.seats;

import java.util.List;

/** C3: every seat of a date, in seat order. */
record SeatMap(long scheduleId, List<Seat> seats) {

    record Seat(int seatNo, String grade, long price, SeatStatus status) {
    }
}
