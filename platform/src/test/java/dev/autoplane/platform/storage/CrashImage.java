package dev.autoplane.platform.storage;

import org.h2.jdbcx.JdbcDataSource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded database as the application configures it, and what a crash would leave of it: tests of durability
 * copy the open file, as {@code kill -9} would leave it, and read the copy on its own.
 */
public final class CrashImage {

    /** A row of the copy, read by the caller. */
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private CrashImage() {
    }

    /** The environment the application derives for a data directory (its JDBC URL, its Flyway locations), with {@code extra}. */
    public static StandardEnvironment environment(Path dir, Map<String, Object> extra) {
        StandardEnvironment env = new StandardEnvironment();
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("autoplane.data-dir", dir.toString());
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new AutoplaneEnvironmentPostProcessor().postProcessEnvironment(env, null);
        return env;
    }

    /** The JDBC URL the application derives for a data directory, with {@code extra} settings. */
    public static String url(Path dir, Map<String, Object> extra) {
        return environment(dir, extra).getProperty("spring.datasource.url");
    }

    /** The JDBC URL the application derives for a data directory. */
    public static String url(Path dir) {
        return url(dir, Map.of());
    }

    /**
     * The application's data source for {@code dir}, with a projection write delay long enough that H2's own background
     * write cannot interfere with what a test copies.
     */
    public static DurableCommits dataSource(Path dir) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url(dir, Map.of("autoplane.h2.projection-write-delay", "600000")));
        h2.setUser("sa");
        return new DurableCommits(h2);
    }

    /** The rows of {@code sql} that a process opening the file of {@code dir} as it is now would find. */
    public static <T> List<T> rows(Path dir, String sql, Row<T> row) throws Exception {
        Path copy = Files.createTempDirectory(dir, "crash");
        Files.copy(dir.resolve("autoplane.mv.db"), copy.resolve("copy.mv.db"));
        List<T> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("copy"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(row.read(rs));
            }
        }
        return rows;
    }
}
