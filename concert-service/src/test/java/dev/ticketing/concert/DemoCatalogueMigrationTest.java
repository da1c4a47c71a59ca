package dev.ticketing.concert;

import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import java.io.IOException;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo profile's Flyway locations, applied to a fresh schema without a Spring context: the
 * demo catalogue loads, re-running it adds nothing, and dropping the profile later still validates.
 */
class DemoCatalogueMigrationTest {

    @Test
    void loadsThreeConcertsWithUpcomingPricedDatesOnceAndLetsTheProfileBeDroppedLater() throws Exception {
        TestDatabase.Schema schema = TestDatabase.shared().newSchema("concert_demo");
        String[] demoLocations = setting("application-demo.yml", "spring.flyway.locations").split(",");
        // The service's own locations are the shared default (common-messaging's file that application.yml imports).
        String[] mainLocations = setting("ticketing-service-defaults.yml", "spring.flyway.locations").split(",");
        String[] ignorePatterns = setting("application.yml", "spring.flyway.ignore-migration-patterns").split(",");
        assertThat(demoLocations).contains("classpath:db/demo").contains(mainLocations);

        try (HikariDataSource dataSource = schema.dataSource(2)) {
            Flyway.configure().dataSource(dataSource).locations(demoLocations).ignoreMigrationPatterns(ignorePatterns)
                    .load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            Map<String, Object> loaded = counts(jdbc);

            assertThat(loaded).containsEntry("concerts", 3L).containsEntry("seats", 490L);
            assertThat(jdbc.queryForList("SELECT COUNT(*) FROM schedule GROUP BY concert_id ORDER BY concert_id", Long.class))
                    .allSatisfy(dates -> assertThat(dates).isBetween(3L, 4L));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM schedule WHERE starts_at <= UTC_TIMESTAMP()", Long.class))
                    .as("every demo date is upcoming").isZero();
            assertThat(jdbc.queryForList("SELECT DISTINCT seat_count FROM schedule ORDER BY seat_count", Integer.class))
                    .containsExactly(30, 40, 50);
            // Every date has seats 1..seat_count, all available.
            assertThat(jdbc.queryForObject("""
                    SELECT COUNT(*) FROM schedule sc
                    WHERE sc.seat_count <> (SELECT COUNT(*) FROM seat st WHERE st.schedule_id = sc.schedule_id AND st.seat_no <= sc.seat_count)
                    """, Long.class)).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seat WHERE status <> 'AVAILABLE' OR reservation_id IS NOT NULL",
                    Long.class)).isZero();
            // One price per grade, and the grades' prices differ.
            List<Map<String, Object>> grades = jdbc.queryForList(
                    "SELECT grade, MIN(price) AS low, MAX(price) AS high FROM seat GROUP BY grade ORDER BY MIN(price) DESC");
            assertThat(grades).extracting(g -> g.get("grade")).containsExactly("VIP", "R", "S");
            assertThat(grades).allSatisfy(g -> assertThat(g.get("low")).isEqualTo(g.get("high")));
            assertThat(grades).extracting(g -> ((Number) g.get("low")).longValue()).doesNotHaveDuplicates();

            try (Connection connection = dataSource.getConnection()) {
                ScriptUtils.executeSqlScript(connection, new ClassPathResource("db/demo/R__demo_concerts.sql"));
            }
            assertThat(counts(jdbc)).as("a re-run adds nothing").isEqualTo(loaded);

            assertThat(Flyway.configure().dataSource(dataSource).locations(mainLocations).ignoreMigrationPatterns(ignorePatterns)
                    .load().validateWithResult().validationSuccessful)
                    .as("a schema once started with the demo profile still starts without it").isTrue();
        }
    }

    private static Map<String, Object> counts(JdbcTemplate jdbc) {
        return jdbc.queryForMap("SELECT (SELECT COUNT(*) FROM concert) AS concerts, (SELECT COUNT(*) FROM schedule) AS schedules, "
                + "(SELECT COUNT(*) FROM seat) AS seats");
    }

    private static String setting(String file, String name) throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file, new ClassPathResource(file));
        return sources.stream().map(s -> s.getProperty(name)).filter(v -> v != null).map(Object::toString)
                .findFirst().orElseThrow(() -> new IllegalStateException(name + " not in " + file));
    }
}
