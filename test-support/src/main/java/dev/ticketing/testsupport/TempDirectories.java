package dev.ticketing.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of the temporary directories the embedded servers and the local stack work in. */
public final class TempDirectories {

    private TempDirectories() {
    }

    /** Deletes {@code dir} and everything below it; best effort, since it is temporary. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test run or a shutdown
        }
    }
}
