package dev.ticketing.deployment;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every place that creates the services' schemas gives them the same character set and collation, so that
 * comparisons and unique keys behave alike in compose, Kubernetes, the local stack and the tests.
 */
class CollationTest {

    private static final String EXPECTED = "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE DATABASE[^;\"]*", Pattern.CASE_INSENSITIVE);

    @Test
    void everySchemaIsCreatedWithTheSameCharacterSetAndCollation() throws IOException {
        Path root = ServiceConfiguration.repositoryRoot();
        Map<String, String> sources = new LinkedHashMap<>();
        try (var files = Files.list(root.resolve("docker/mysql/init"))) {
            for (Path sql : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                sources.put(root.relativize(sql).toString(), Files.readString(sql));
            }
        }
        KubernetesOverlay local = KubernetesOverlay.build("local");
        local.get(ConfigMap.class, "mysql-init").getData()
                .forEach((key, sql) -> sources.put("k8s local mysql-init " + key, sql));
        for (String java : List.of("local-stack/src/main/java/dev/ticketing/localstack/LocalStack.java",
                "test-support/src/main/java/dev/ticketing/testsupport/TestDatabase.java")) {
            // "CREATE DATABASE `" + schema + "` CHARACTER SET ...": the concatenation read as one statement.
            sources.put(java, Files.readString(root.resolve(java)).replaceAll("\"\\s*\\+\\s*\\w+\\s*\\+\\s*\"", "<name>"));
        }

        int statements = 0;
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Matcher create = CREATE_DATABASE.matcher(source.getValue());
            while (create.find()) {
                statements++;
                assertThat(create.group()).as("%s: %s", source.getKey(), create.group()).contains(EXPECTED);
            }
        }
        assertThat(statements).as("CREATE DATABASE statements found").isGreaterThanOrEqualTo(10);
    }
}
