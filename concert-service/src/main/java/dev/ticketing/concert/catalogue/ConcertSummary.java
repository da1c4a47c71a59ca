package dev.ticketing.concert.catalogue;

record ConcertSummary(long concertId, String title, String venue) {
}
