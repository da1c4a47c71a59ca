package dev.ticketing.concert.catalogue;

record SeatLayout(int seatNo, String grade, long price) {
}
