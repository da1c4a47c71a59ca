package dev.ticketing.queue.admission;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

import java.util.Optional;

interface QueueStateRepository extends JpaRepository<QueueState, Integer> {

    /** The state row, locked: admission and operator changes are serialised on it. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from QueueState s where s.id = 1")
    Optional<QueueState> lock();
}
