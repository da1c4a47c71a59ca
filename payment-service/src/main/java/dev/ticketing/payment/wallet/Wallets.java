package dev.ticketing.payment.wallet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Balances and their ledger. A balance changes only through {@link #credit}, {@link #debit} and
 * {@link #refund}: one conditional UPDATE each (never below 0; a charge never above the limit),
 * followed by the ledger entry of the change, in the caller's transaction. The UPDATE locks the
 * wallet row, so the balance read after it is the one this change produced.
 */
@Repository
public class Wallets {

    /** A charge may not take a balance past this; a refund may (DESIGN section 6). */
    public static final long BALANCE_LIMIT = 100_000_000L;

    private final JdbcTemplate jdbc;

    Wallets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The balance, 0 for a user who has no wallet yet. A plain read. */
    public long balance(long userId) {
        List<Long> found = jdbc.queryForList("SELECT balance FROM wallet WHERE user_id = ?", Long.class, userId);
        return found.isEmpty() ? 0L : found.get(0);
    }

    /**
     * Creates the user's wallet at 0 unless it exists. Meant to run in a transaction of its own
     * before the change: a duplicate insert takes a shared lock, and two transactions that both hold
     * one and then update the row deadlock.
     */
    public void open(long userId, Instant now) {
        jdbc.update("INSERT INTO wallet (user_id, balance, updated_at) VALUES (?, 0, ?) "
                + "ON DUPLICATE KEY UPDATE user_id = user_id", userId, utc(now));
    }

    public boolean exists(long userId) {
        return !jdbc.queryForList("SELECT 1 FROM wallet WHERE user_id = ?", Integer.class, userId).isEmpty();
    }

    /**
     * Adds a charge, unless it would take the balance past {@link #BALANCE_LIMIT}.
     *
     * @return the balance after, or empty if the limit refused it (nothing changed)
     */
    public OptionalLong credit(long userId, long amount, long chargeId, Instant now) {
        int changed = jdbc.update("UPDATE wallet SET balance = balance + ?, updated_at = ? "
                + "WHERE user_id = ? AND balance <= ? - ?", amount, utc(now), userId, BALANCE_LIMIT, amount);
        if (changed == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(record(userId, LedgerType.CHARGE, amount, chargeId, now));
    }

    /**
     * Takes a payment, unless the balance is short (or the user has no wallet).
     *
     * @return the balance after, or empty if the balance was short (nothing changed)
     */
    public OptionalLong debit(long userId, long amount, long paymentId, Instant now) {
        int changed = jdbc.update("UPDATE wallet SET balance = balance - ?, updated_at = ? "
                + "WHERE user_id = ? AND balance >= ?", amount, utc(now), userId, amount);
        if (changed == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(record(userId, LedgerType.PAYMENT, -amount, paymentId, now));
    }

    /** Gives a payment back; a refund may take the balance past the charge limit. */
    public long refund(long userId, long amount, long paymentId, Instant now) {
        int changed = jdbc.update("UPDATE wallet SET balance = balance + ?, updated_at = ? WHERE user_id = ?",
                amount, utc(now), userId);
        if (changed != 1) {
            // A payment was taken from this wallet, so it exists: this is a broken database, not a client error.
            throw new IllegalStateException("no wallet for user " + userId + " to refund payment " + paymentId + " to");
        }
        return record(userId, LedgerType.REFUND, amount, paymentId, now);
    }

    /** A new charge's id, the reference of its ledger entry. */
    public long newCharge(long userId, long amount, Instant now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO balance_charge (user_id, amount, charged_at) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
            ps.setLong(1, userId);
            ps.setLong(2, amount);
            ps.setObject(3, utc(now));
            return ps;
        }, key);
        return key.getKey().longValue();
    }

    /** One page of the user's ledger, newest first (ties by id); one row more than asked tells whether another page follows. */
    public List<LedgerEntry> history(long userId, long offset, int limit) {
        return jdbc.query("SELECT entry_type, amount, balance_after, reference, occurred_at FROM balance_ledger "
                        + "WHERE user_id = ? ORDER BY occurred_at DESC, entry_id DESC LIMIT ? OFFSET ?",
                (rs, i) -> new LedgerEntry(LedgerType.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getObject(5, LocalDateTime.class).toInstant(ZoneOffset.UTC)),
                userId, limit, offset);
    }

    private long record(long userId, LedgerType type, long amount, long reference, Instant now) {
        long balanceAfter = Optional.ofNullable(jdbc.queryForObject(
                "SELECT balance FROM wallet WHERE user_id = ? FOR UPDATE", Long.class, userId)).orElseThrow();
        jdbc.update("INSERT INTO balance_ledger (user_id, entry_type, amount, balance_after, reference, occurred_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", userId, type.name(), amount, balanceAfter, reference, utc(now));
        return balanceAfter;
    }

    /** DATETIME(6) columns hold UTC wall-clock times. */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
