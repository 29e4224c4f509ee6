package dev.autoplane.query.schedules;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** Schedule books in H2 or PostgreSQL: one row per automation, the book as JSON. */
public class JdbcScheduleStore implements ScheduleStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final String insertIfAbsent;

    public JdbcScheduleStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent("automation_schedule", List.of("automation_id"),
                "automation_id", "workspace_id", "version", "doc");
    }

    @Override
    public void save(ScheduleBook book) {
        String doc = write(book);
        int updated = jdbc.update("UPDATE automation_schedule SET workspace_id = ?, version = ?, doc = ?"
                + " WHERE automation_id = ? AND version < ?", book.workspaceId(), book.version(), doc,
                book.automationId(), book.version());
        if (updated == 0) {
            jdbc.update(insertIfAbsent, book.automationId(), book.workspaceId(), book.version(), doc);
        }
    }

    @Override
    public Optional<ScheduleBook> find(String automationId) {
        return jdbc.queryForList("SELECT doc FROM automation_schedule WHERE automation_id = ?", String.class,
                automationId).stream().findFirst().map(this::read);
    }

    @Override
    public void delete(String automationId) {
        jdbc.update("DELETE FROM automation_schedule WHERE automation_id = ?", automationId);
    }

    @Override
    public void clear() {
        jdbc.update("DELETE FROM automation_schedule");
    }

    private String write(ScheduleBook book) {
        return JsonDocuments.write(mapper, book);
    }

    private ScheduleBook read(String doc) {
        return JsonDocuments.read(mapper, doc, ScheduleBook.class);
    }
}
