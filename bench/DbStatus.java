import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Prints the database server's row and commit counters so far, one line: rows written, updated, deleted (the
 * handler counters: MariaDB 11 has no Innodb_rows_* counters; writes include internal temporary tables) and
 * transactions committed (COMMIT statements, which is how every service's transactions end). bench/scale.sh
 * reads it before and after a load to give rows written per request. Argument: the JDBC base URL.
 */
public class DbStatus {

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0] + "/?sslMode=DISABLED", "root", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
                     + "('Handler_write', 'Handler_update', 'Handler_delete', 'Com_commit')")) {
            long inserted = 0;
            long updated = 0;
            long deleted = 0;
            long commits = 0;
            while (rs.next()) {
                long value = rs.getLong(2);
                switch (rs.getString(1)) {
                    case "Handler_write" -> inserted = value;
                    case "Handler_update" -> updated = value;
                    case "Handler_delete" -> deleted = value;
                    case "Com_commit" -> commits = value;
                    default -> { }
                }
            }
            System.out.println(inserted + " " + updated + " " + deleted + " " + commits);
        }
    }
}
