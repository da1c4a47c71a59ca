package dev.ticketing.reservation.hold;

import java.util.List;

/** Some requested seats are held or sold already: the hold is refused as a whole. */
public class SeatsTakenException extends RuntimeException {

    private final List<Integer> seatNos;

    public SeatsTakenException(List<Integer> seatNos) {
        super("seats " + seatNos + " are not available");
        this.seatNos = List.copyOf(seatNos);
    }

    /** The taken seats; empty when they were freed again before they could be named. */
    public List<Integer> seatNos() {
        return seatNos;
    }
}
