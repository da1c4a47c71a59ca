package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.e2e.Journeys.Seats;
import dev.ticketing.e2e.PublicApi.Answer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The purchase page that the gateway serves, in a real browser: {@code browser/purchase.mjs}
 * (playwright-core driving the Debian package's headless Chromium) against this suite's gateway, two
 * shoppers from the queue to the confirmation, with screenshots under {@code target/browser/}. The
 * purchase is then read back through the API. Skipped, saying why, where Chromium or node is missing.
 */
class PurchasePageBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCRIPTS = Path.of("browser").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "browser").toAbsolutePath();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);
    /** Where the dependencies were installed from: the lock file's digest, written after {@code npm ci}. */
    private static final String INSTALLED_LOCK = ".installed-lock.sha256";

    @Test
    void buysTicketsThroughThePageInABrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "browser test skipped: no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        Optional<Path> node = onPath("node");
        Optional<Path> npm = onPath("npm");
        assumeTrue(node.isPresent() && npm.isPresent(), "browser test skipped: node or npm is not on the PATH");
        installDependencies(npm.get());

        Journeys journeys = Journeys.shared();
        Stack stack = journeys.stack;
        Seats seats = journeys.seats(3);
        long buyerId = journeys.nextUserId();
        long rivalId = journeys.nextUserId();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BASE_URL", stack.gateway());
        env.put("QUEUE_ADMIN_URL", stack.management("queue-service"));
        env.put("CHROMIUM", CHROMIUM.toString());
        env.put("SCREENSHOT_DIR", SCREENSHOTS.toString());
        env.put("PURCHASE_USER_ID", Long.toString(buyerId));
        env.put("PURCHASE_RIVAL_USER_ID", Long.toString(rivalId));
        env.put("PURCHASE_CONCERT_ID", Long.toString(seats.concertId()));
        env.put("PURCHASE_SCHEDULE_ID", Long.toString(seats.scheduleId()));
        env.put("PURCHASE_SEATS", seats.seatNos().stream().map(String::valueOf).collect(Collectors.joining(",")));

        Run purchase = run(List.of(node.get().toString(), "purchase.mjs"), env, SCRIPT_TIMEOUT);

        assertThat(purchase.exitCode()).as("node purchase.mjs exit code; its output:%n%s", purchase.output()).isZero();
        assertThat(purchase.output()).contains("PASSED");
        assertThat(SCREENSHOTS.resolve("purchase.png")).isNotEmptyFile();
        assertThat(SCREENSHOTS.resolve("waiting.png")).isNotEmptyFile();

        // What the page showed is what the services hold: the first two seats sold, the third released, the
        // buyer's balance down by their price and the rival's untouched.
        Seats bought = new Seats(seats.concertId(), seats.scheduleId(), seats.seatNos().subList(0, 2), seats.totalSeats());
        Seats released = new Seats(seats.concertId(), seats.scheduleId(), seats.seatNos().subList(2, 3), seats.totalSeats());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(journeys.seatStatuses(bought)).containsExactly("SOLD", "SOLD");
            assertThat(journeys.seatStatuses(released)).containsExactly("AVAILABLE");
        });
        JsonNode seatMap = journeys.api.get("/concerts/" + seats.concertId() + "/schedules/" + seats.scheduleId() + "/seats",
                journeys.browser.token()).ok(200).body().path("seats");
        long price = StreamSupport.stream(seatMap.spliterator(), false)
                .filter(s -> bought.seatNos().contains(s.path("seatNo").asInt()))
                .mapToLong(s -> s.path("price").asLong()).sum();
        assertThat(balanceOf(journeys.api, buyerId)).isEqualTo(500_000 - price);
        assertThat(balanceOf(journeys.api, rivalId)).isZero();
    }

    /** A user's balance, read with a token of theirs (their live one, or a new one once paying ended it). */
    private static long balanceOf(PublicApi api, long userId) {
        Answer joined = api.post("/queue/tokens", null, "{\"userId\":" + userId + "}");
        assertThat(joined.status()).as(joined.toString()).isIn(200, 201);
        String token = joined.body().path("token").asText();
        return api.get("/users/" + userId + "/balance", token).ok(200).body().path("balance").asLong();
    }

    /** {@code npm ci}, unless node_modules was installed from this very package-lock.json. */
    private static void installDependencies(Path npm) throws Exception {
        String lock = sha256(SCRIPTS.resolve("package-lock.json"));
        Path stamp = SCRIPTS.resolve("node_modules").resolve(INSTALLED_LOCK);
        boolean installed = Files.isDirectory(SCRIPTS.resolve("node_modules").resolve("playwright-core"))
                && Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(lock);
        if (installed) {
            return;
        }
        Run install = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of(), INSTALL_TIMEOUT);
        assertThat(install.exitCode()).as("npm ci in %s; its output:%n%s", SCRIPTS, install.output()).isZero();
        Files.writeString(stamp, lock + "\n");
    }

    private record Run(int exitCode, String output) {
    }

    /**
     * Runs a command in {@code browser/}, echoing its output as it comes (prefixed) and keeping it for the
     * failure message; past the timeout it and its children (the browser) are killed and the test fails.
     */
    private static Run run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(SCRIPTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("[browser] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException closed) {
                // the process was killed
            }
        }, "browser-test-output");
        reader.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            synchronized (output) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; its output:\n" + output);
            }
        }
        reader.join(10_000);
        synchronized (output) {
            return new Run(process.exitValue(), output.toString());
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
