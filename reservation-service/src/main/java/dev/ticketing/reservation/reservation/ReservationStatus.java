package dev.ticketing.reservation.reservation;

public enum ReservationStatus {
    PENDING_PAYMENT, CONFIRMED, EXPIRED, CANCELLED
}
