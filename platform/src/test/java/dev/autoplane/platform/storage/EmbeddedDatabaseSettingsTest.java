package dev.autoplane.platform.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings the embedded mode's URL gives H2, as the database reports them once opened. */
class EmbeddedDatabaseSettingsTest {

    @Test
    void theEmbeddedDatabaseRunsWithTheSettingsItsUrlNames(@TempDir Path dir) throws Exception {
        String url = CrashImage.url(dir);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            // a session keeps the parsed statements of a whole projection batch (H2's default of 8 re-parsed them)
            assertThat(setting(c, "QUERY_CACHE_SIZE")).isEqualTo("32");
            // a projection's batch may wait this long for the next write of the file (DurableCommits)
            assertThat(setting(c, "WRITE_DELAY")).isEqualTo("100");
        }
    }

    private static String setting(Connection c, String name) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
