package dev.ticketing.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.Yaml;

/**
 * The real kustomize, as kubectl carries it ({@code kubectl kustomize}, no cluster needed), where kubectl is on
 * the PATH. Machines of this project's kind have it; where it is missing, {@link KustomizeBuilder} stands in.
 */
final class Kubectl {

    private static final Boolean AVAILABLE = probe();

    private Kubectl() {
    }

    static boolean available() {
        return AVAILABLE;
    }

    /**
     * What {@code kubectl kustomize dir} prints, one YAML tree per object. A warning from kustomize (a deprecated
     * field, for one) fails the build here: kubectl would apply it, but the next kustomize may not.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> kustomize(Path dir) {
        Output output = run("kubectl", "kustomize", dir.toAbsolutePath().normalize().toString());
        if (!output.errors().isBlank()) {
            throw new IllegalStateException("kubectl kustomize " + dir + " warned: " + output.errors().strip());
        }
        String yaml = output.out();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }

    /** The kustomize version kubectl reports, e.g. "v5.5.0". */
    static String kustomizeVersion() {
        return run("kubectl", "version", "--client").out().lines()
                .filter(line -> line.startsWith("Kustomize Version:"))
                .map(line -> line.substring("Kustomize Version:".length()).strip())
                .findFirst().orElse("unknown");
    }

    private static boolean probe() {
        try {
            run("kubectl", "version", "--client");
            return true;
        } catch (RuntimeException absent) {
            return false;
        }
    }

    private record Output(String out, String errors) {
    }

    private static Output run(String... command) {
        try {
            Path errors = Files.createTempFile("kubectl", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: "
                            + Files.readString(errors, StandardCharsets.UTF_8));
                }
                return new Output(new String(out, StandardCharsets.UTF_8), Files.readString(errors, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
