import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The yardstick of the hold benchmark: the bare database operation under R1, measured on the same
 * MariaDB. THREADS connections (the service's pool size) each loop: one transaction inserting one
 * or two random seats of 50 into a copy of seat_hold in one ascending multi-row INSERT, committed,
 * or rolled back on a duplicate key; a committed hold is deleted again right away (not counted),
 * so seats keep cycling. Prints attempts/s and how many succeeded, counted over {@code seconds}
 * after a first {@code ramp-seconds} (default 0) that are not counted, as the benchmark's Gatling
 * rounds leave out their ramp.
 * <p>
 * Run: {@code java -cp mysql-connector-j.jar bench/BareHoldInserts.java <jdbc-url> <threads> <seconds> [ramp-seconds]}
 */
public class BareHoldInserts {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int threads = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int ramp = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS bench");
            s.execute("DROP TABLE IF EXISTS bench.seat_hold");
            s.execute("CREATE TABLE bench.seat_hold (schedule_id BIGINT NOT NULL, seat_no INT NOT NULL, "
                    + "reservation_id BIGINT NOT NULL, status VARCHAR(8) NOT NULL, held_at DATETIME(6) NOT NULL, "
                    + "PRIMARY KEY (schedule_id, seat_no))");
        }
        LongAdder attempts = new LongAdder();
        LongAdder held = new LongAdder();
        long from = System.nanoTime() + ramp * 1_000_000_000L;
        long end = from + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "root", "")) {
                    c.setAutoCommit(false);
                    PreparedStatement one = c.prepareStatement("INSERT INTO bench.seat_hold VALUES (1, ?, ?, 'HELD', NOW(6))");
                    PreparedStatement two = c.prepareStatement(
                            "INSERT INTO bench.seat_hold VALUES (1, ?, ?, 'HELD', NOW(6)), (1, ?, ?, 'HELD', NOW(6))");
                    PreparedStatement release = c.prepareStatement("DELETE FROM bench.seat_hold WHERE reservation_id = ?");
                    long id = Thread.currentThread().getId() * 1_000_000_000L;
                    while (System.nanoTime() < end) {
                        boolean counted = System.nanoTime() >= from;
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        int a = random.nextInt(1, 51);
                        int b = random.nextInt(1, 51);
                        id++;
                        try {
                            if (b == a || random.nextBoolean()) {
                                one.setInt(1, a);
                                one.setLong(2, id);
                                one.executeUpdate();
                            } else {
                                two.setInt(1, Math.min(a, b));
                                two.setLong(2, id);
                                two.setInt(3, Math.max(a, b));
                                two.setLong(4, id);
                                two.executeUpdate();
                            }
                            c.commit();
                            if (counted) {
                                held.increment();
                            }
                            release.setLong(1, id);
                            release.executeUpdate();
                            c.commit();
                        } catch (SQLIntegrityConstraintViolationException | com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException taken) {
                            c.rollback();
                        }
                        if (counted) {
                            attempts.increment();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        System.out.printf("bare attempts=%d held=%d seconds=%d rate=%.0f%n", attempts.sum(), held.sum(), seconds,
                attempts.sum() / (double) seconds);
    }
}
