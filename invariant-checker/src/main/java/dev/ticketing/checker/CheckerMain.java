package dev.ticketing.checker;

import java.io.PrintStream;
import java.util.Map;

/**
 * Command line: checks the schemas once and exits 0 when every invariant holds, 1 when any is
 * breached, 2 when nothing could be checked (no connection, a missing table, a bad argument).
 * <p>
 * Settings come from the environment, each overridable by an argument:
 * {@code CHECK_DB_URL} / {@code --url=} (default {@code jdbc:mysql://127.0.0.1:3306}),
 * {@code CHECK_DB_USER} / {@code --user=} (root), {@code CHECK_DB_PASSWORD} / {@code --password=} (empty),
 * {@code CHECK_SCHEMAS} / {@code --schemas=} (such as {@code payment=pay2,queue=q2}; unnamed roles keep
 * their default names queue, concert, reservation, payment).
 */
public final class CheckerMain {

    static final int HOLDS = 0;
    static final int BREACHED = 1;
    static final int CANNOT_CHECK = 2;

    private CheckerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String url = env.getOrDefault("CHECK_DB_URL", "jdbc:mysql://127.0.0.1:3306");
        String user = env.getOrDefault("CHECK_DB_USER", "root");
        String password = env.getOrDefault("CHECK_DB_PASSWORD", "");
        String schemaOverrides = env.getOrDefault("CHECK_SCHEMAS", "");
        for (String arg : args) {
            if (arg.startsWith("--url=")) {
                url = arg.substring("--url=".length());
            } else if (arg.startsWith("--user=")) {
                user = arg.substring("--user=".length());
            } else if (arg.startsWith("--password=")) {
                password = arg.substring("--password=".length());
            } else if (arg.startsWith("--schemas=")) {
                schemaOverrides = arg.substring("--schemas=".length());
            } else {
                err.println("Unknown argument '" + arg + "'. Usage: [--url=jdbc:mysql://host:port] [--user=root]"
                        + " [--password=] [--schemas=queue=queue,concert=concert,reservation=reservation,payment=payment]"
                        + " (or CHECK_DB_URL, CHECK_DB_USER, CHECK_DB_PASSWORD, CHECK_SCHEMAS)");
                return CANNOT_CHECK;
            }
        }
        try {
            Schemas schemas = Schemas.DEFAULT.withOverrides(schemaOverrides);
            InvariantChecker checker = new InvariantChecker(url, user, password);
            out.println("Checking " + schemas + " at " + url + " as " + user);
            Report report = checker.check(schemas);
            out.print(report);
            return report.holds() ? HOLDS : BREACHED;
        } catch (IllegalArgumentException | CannotCheckException e) {
            err.println("Cannot check: " + e.getMessage());
            return CANNOT_CHECK;
        }
    }
}
