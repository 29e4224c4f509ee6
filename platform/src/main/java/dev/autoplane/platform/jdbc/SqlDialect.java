package dev.autoplane.platform.jdbc;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The few statements that differ between H2 and PostgreSQL. */
public enum SqlDialect {
    H2, POSTGRESQL;

    public static SqlDialect of(JdbcTemplate jdbc) {
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        return product != null && product.toLowerCase(Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
    }

    /** An insert-or-replace of one row identified by {@code keys}; parameters in the order of {@code columns}. */
    public String upsert(String table, List<String> keys, String... columns) {
        String cols = String.join(", ", columns);
        String marks = Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", keys) + ") VALUES (" + marks + ")";
        }
        String updates = Arrays.stream(columns).filter(c -> !keys.contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT ("
                + String.join(", ", keys) + ") " + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + updates);
    }

    /** An insert that does nothing when the key already exists. */
    public String insertIfAbsent(String table, List<String> keys, String... columns) {
        String cols = String.join(", ", columns);
        String marks = Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            return "MERGE INTO " + table + " t USING (VALUES (" + marks + ")) s (" + cols + ") ON "
                    + keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "))
                    + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES ("
                    + Arrays.stream(columns).map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
        }
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT ("
                + String.join(", ", keys) + ") DO NOTHING";
    }
}
