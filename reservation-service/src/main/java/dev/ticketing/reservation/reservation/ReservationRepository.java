package dev.ticketing.reservation.reservation;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.Optional;

public interface ReservationRepository extends JpaRepository<Reservation, Long> {

    /** Reads and locks the reservation for a transition, so concurrent transitions queue up. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from Reservation r where r.id = :id")
    Optional<Reservation> lockById(@Param("id") long id);

    /** Whether the queue token holds a live (pending) reservation: a read of the unique key that decides it. */
    boolean existsByLiveTokenId(String liveTokenId);
}
