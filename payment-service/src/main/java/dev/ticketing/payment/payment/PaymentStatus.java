package dev.ticketing.payment.payment;

/**
 * A reservation's payment: PENDING until paid (COMPLETED) or until the reservation ends unpaid
 * (EXPIRED, CANCELLED); a COMPLETED payment the reservation rejected is REFUNDED. Only COMPLETED
 * and REFUNDED payments are ever shown to a client.
 */
public enum PaymentStatus {
    PENDING, COMPLETED, REFUNDED, EXPIRED, CANCELLED;

    public boolean wasPaid() {
        return this == COMPLETED || this == REFUNDED;
    }
}
