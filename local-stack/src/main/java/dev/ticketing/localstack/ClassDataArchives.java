package dev.ticketing.localstack;

import dev.ticketing.localstack.Topology.Service;
import dev.ticketing.testsupport.TempDirectories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * {@code STACK_CDS=true}: each service started from its jar extracted next to a class-data-sharing archive of the
 * classes it loads while starting, which saves about a quarter of each service's start-up CPU
 * (docs/performance.md). The archives live in each module's {@code target/cds} and are made again when the jar is
 * newer.
 */
final class ClassDataArchives {

    private static final Logger log = LoggerFactory.getLogger(ClassDataArchives.class);

    private final Path home;
    private final Path logs;

    ClassDataArchives(Path home, Path logs) {
        this.home = home;
        this.logs = logs;
    }

    /** The JVM arguments that start a service from its extracted jar with its archive. */
    List<String> jarArguments(Service s) {
        Path dir = dir(s);
        return List.of("-XX:SharedArchiveFile=" + dir.resolve(s.module() + ".jsa"), "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-jar", dir.resolve(s.module() + ".jar").toString());
    }

    /**
     * For each service whose archive is missing or older than its jar: extracts the jar (Spring Boot's
     * {@code jarmode=tools}) and runs it once with the stack's settings ({@code run}: the service and the JVM
     * arguments and jar to start) up to the end of its context refresh ({@code spring.context.exit=onRefresh}:
     * schemas migrated, nothing started, no consumer joins a group), writing the archive on exit. All at once;
     * the next start of the stack uses them.
     */
    void train(List<Service> wanted, BiFunction<Service, List<String>, ProcessBuilder> run) throws Exception {
        List<Process> training = new ArrayList<>();
        List<Service> trained = new ArrayList<>();
        for (Service s : wanted) {
            Path dir = dir(s);
            Path archive = dir.resolve(s.module() + ".jsa");
            if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(s.jar(home))) > 0) {
                continue;
            }
            TempDirectories.delete(dir);
            Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djarmode=tools", "-jar", s.jar(home).toString(), "extract", "--destination", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("cds.log").toFile())).start();
            if (extract.waitFor() != 0) {
                throw new IllegalStateException("could not extract " + s.jar(home) + ", see " + logs.resolve("cds.log"));
            }
            ProcessBuilder pb = run.apply(s, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", dir.resolve(s.module() + ".jar").toString()));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(s.module() + "-cds-training.log").toFile()));
            training.add(pb.start());
            trained.add(s);
        }
        for (int i = 0; i < training.size(); i++) {
            Process p = training.get(i);
            Path archive = dir(trained.get(i)).resolve(trained.get(i).module() + ".jsa");
            if (!p.waitFor(5, TimeUnit.MINUTES) || !Files.exists(archive)) {
                p.destroyForcibly();
                throw new IllegalStateException("no class-data archive for " + trained.get(i).module() + ", see "
                        + logs.resolve(trained.get(i).module() + "-cds-training.log"));
            }
        }
        if (!trained.isEmpty()) {
            log.info("Class-data archives made for {}", trained.stream().map(Service::module).toList());
        }
    }

    private Path dir(Service s) {
        return home.resolve(s.module()).resolve("target").resolve("cds");
    }
}
