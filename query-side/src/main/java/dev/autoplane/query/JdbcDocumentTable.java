package dev.autoplane.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/**
 * What every JDBC read-model adapter shares: one table whose {@code doc} column holds the view as
 * JSON (indexed columns beside it for lookups), read and written with the projections' mapper.
 */
public abstract class JdbcDocumentTable<T> {

    /** Its connections outside a transaction wait while a rebuilt read model replaces this one ({@link ReadModelSwap}). */
    protected final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    /** The table's name (a rebuild's shadow adapter has the shadow's). */
    protected final String table;
    private final Class<T> type;

    protected JdbcDocumentTable(JdbcTemplate jdbc, ObjectMapper mapper, String table, Class<T> type) {
        this.jdbc = ReadModelSwap.guarded(jdbc);
        this.mapper = mapper;
        this.table = table;
        this.type = type;
    }

    protected String write(T document) {
        return JsonDocuments.write(mapper, document);
    }

    protected T read(String json) {
        return JsonDocuments.read(mapper, json, type);
    }

    /** The documents a query selects (its only column is {@code doc}). */
    protected List<T> documents(String sql, Object... args) {
        return jdbc.queryForList(sql, String.class, args).stream().map(this::read).toList();
    }

    /** The document whose {@code column} is {@code value}, if any. */
    protected Optional<T> findBy(String column, Object value) {
        return documents("SELECT doc FROM " + table + " WHERE " + column + " = ?", value).stream().findFirst();
    }

    /** Removes the rows whose {@code column} is {@code value}. */
    protected void deleteBy(String column, Object value) {
        jdbc.update("DELETE FROM " + table + " WHERE " + column + " = ?", value);
    }

    /** Removes every row (a replay starts from nothing). */
    public void clear() {
        jdbc.update("DELETE FROM " + table);
    }
}
