package dev.ticketing.concert.seats;

/** A seat as the public sees it; kept from reservation events by {@link SeatAvailability}. */
enum SeatStatus {
    AVAILABLE, HELD, SOLD
}
