package dev.ticketing.localstack;

import dev.ticketing.localstack.Topology.Service;
import dev.ticketing.testsupport.TempDirectories;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code STACK_AOT}: each service started from its jar extracted next to an ahead-of-time cache of the classes it
 * loads and links, and, on Java 25, the method profiles of a training run that did real work (JEP 483, 514, 515;
 * see {@link Training}). On Java 17 to 24 the same switch gives a dynamic class-data-sharing archive instead, which
 * holds the loaded classes only.
 * <p>
 * The caches live in each module's {@code target/aot}, with a stamp saying what they were made from: the jar's
 * SHA-256, the JVM (its home and build) and the service's JVM flags. A cache whose stamp differs in any of these is
 * stale: the JVM would refuse it (or, worse, use a cache of other classes), so it is made again before the stack
 * starts, never used.
 */
final class AotCaches {

    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, String> env;
    private final Path home;
    private final Path logs;
    private final boolean aotCache = Runtime.version().feature() >= 25;
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    AotCaches(Map<String, String> env, Path home, Path logs) {
        this.env = env;
        this.home = home;
        this.logs = logs;
    }

    /** {@code STACK_AOT}: on by default on Java 25 and later, off by default before. */
    static boolean wanted(Map<String, String> env) {
        String value = env.get("STACK_AOT");
        return value == null || value.isBlank() ? Runtime.version().feature() >= 25 : Boolean.parseBoolean(value.trim());
    }

    /** What this JVM makes: {@code "AOT cache"} on Java 25 and later, {@code "CDS archive"} before. */
    String kind() {
        return aotCache ? "AOT cache" : "CDS archive";
    }

    /** Whether the service's cache is missing or was made from another jar, JVM or set of JVM flags. */
    boolean stale(Service s) throws IOException {
        return !Files.isRegularFile(cache(s)) || !matches(stamp(s), s);
    }

    /**
     * Whether a training should make the service's cache: it is stale, and no training has already failed for this
     * jar, JVM and flags (that one would fail again at every start; a build or another flag tries again).
     */
    boolean needsTraining(Service s) throws IOException {
        return stale(s) && !matches(failedStamp(s), s);
    }

    /** The JVM arguments that start a service from its extracted jar with its cache. */
    List<String> jarArguments(Service s) {
        String use = aotCache ? "-XX:AOTCache=" + cache(s) : "-XX:SharedArchiveFile=" + cache(s);
        return List.of(use, "-jar", extractedJar(s).toString());
    }

    /**
     * Extracts the service's jar afresh (Spring Boot's {@code jarmode=tools}: the cache needs plain jars on the class
     * path, not the nested ones of the executable jar) and returns the JVM arguments of a training run that writes the
     * cache when the process exits (on SIGTERM too).
     */
    List<String> prepareTraining(Service s) throws IOException, InterruptedException {
        Path dir = dir(s);
        TempDirectories.delete(dir);
        Process extract = new ProcessBuilder(java(), "-Djarmode=tools", "-jar", s.jar(home).toString(), "extract", "--destination", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("aot.log").toFile())).start();
        if (extract.waitFor() != 0) {
            throw new IllegalStateException("could not extract " + s.jar(home) + ", see " + logs.resolve("aot.log"));
        }
        String record = aotCache ? "-XX:AOTCacheOutput=" + cache(s) : "-XX:ArchiveClassesAtExit=" + cache(s);
        // What cannot be cached (signed jars, classes defined by hand) is reported at length as warnings, not news;
        // errors (a cache that could not be written) stay in the training's log.
        String quiet = aotCache ? "-Xlog:aot=error" : "-Xlog:cds=error";
        return List.of(record, quiet, "-Xlog:cds+dynamic=error", "-jar", extractedJar(s).toString());
    }

    /** After the training process has exited: the cache must be there; its stamp is written. */
    void commit(Service s, Path trainingLog) throws IOException {
        if (!Files.isRegularFile(cache(s))) {
            Files.writeString(failedStamp(s), expectedStamp(s));
            throw new IllegalStateException("no " + kind() + " for " + s.module() + " after its training run, see " + trainingLog);
        }
        Files.deleteIfExists(failedStamp(s));
        Files.writeString(stamp(s), expectedStamp(s));
    }

    private boolean matches(Path stamp, Service s) throws IOException {
        return Files.isRegularFile(stamp) && Files.readString(stamp).equals(expectedStamp(s));
    }

    long size(Service s) throws IOException {
        return Files.size(cache(s));
    }

    private String expectedStamp(Service s) throws IOException {
        String jarDigest = digests.get(s.module());
        if (jarDigest == null) {
            jarDigest = sha256(s.jar(home)); // once per service: the jar does not change under a running stack
            digests.put(s.module(), jarDigest);
        }
        return "jar " + jarDigest + "\njvm " + System.getProperty("java.home") + " " + System.getProperty("java.vm.version")
                + "\nflags " + String.join(" ", s.jvmFlags(env)) + "\n";
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HEX.formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Path dir(Service s) {
        return home.resolve(s.module()).resolve("target").resolve("aot");
    }

    private Path extractedJar(Service s) {
        return dir(s).resolve(s.module() + ".jar");
    }

    Path cache(Service s) {
        return dir(s).resolve(s.module() + (aotCache ? ".aot" : ".jsa"));
    }

    private Path stamp(Service s) {
        return dir(s).resolve(s.module() + ".stamp");
    }

    private Path failedStamp(Service s) {
        return dir(s).resolve(s.module() + ".failed");
    }
}
