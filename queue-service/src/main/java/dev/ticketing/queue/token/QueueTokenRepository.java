package dev.ticketing.queue.token;

import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryHint;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface QueueTokenRepository extends JpaRepository<QueueToken, Long> {

    /**
     * On the hot paths (status polls, the gateway's lookups). A JPQL string, not a derived query:
     * Spring Data builds derived queries as criteria queries, which Hibernate translates to SQL
     * again on every call (seen in a profile under load); a string query's plan is cached.
     */
    @Query("select t from QueueToken t where t.tokenId = :tokenId")
    Optional<QueueToken> findByTokenId(String tokenId);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select t from QueueToken t where t.tokenId = :tokenId")
    Optional<QueueToken> lockByTokenId(String tokenId);

    long countByStatus(TokenStatus status);

    /** The next waiting tokens in order of arrival, locked for admission. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select t from QueueToken t where t.status = dev.ticketing.queue.token.TokenStatus.WAITING order by t.sequence")
    List<QueueToken> lockNextWaiting(Pageable limit);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "-2")) // SKIP LOCKED
    @Query("select t from QueueToken t where t.status = dev.ticketing.queue.token.TokenStatus.ACTIVE and t.activeUntil <= :now order by t.activeUntil")
    List<QueueToken> lockActiveEndedBy(Instant now, Pageable limit);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "-2")) // SKIP LOCKED
    @Query("select t from QueueToken t where t.status = dev.ticketing.queue.token.TokenStatus.WAITING and t.lastSeenAt <= :seenBefore order by t.sequence")
    List<QueueToken> lockWaitingUnseenSince(Instant seenBefore, Pageable limit);

    @Query("select min(t.sequence) from QueueToken t where t.status = dev.ticketing.queue.token.TokenStatus.WAITING")
    Optional<Long> firstWaitingSequence();

    @Query("select max(t.sequence) from QueueToken t")
    Optional<Long> lastSequence();
}
