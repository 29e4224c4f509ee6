package dev.autoplane.query.schedules;

import dev.autoplane.query.JdbcDocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** Schedule books in H2 or PostgreSQL: one row per automation, the book as JSON. */
public class JdbcScheduleStore extends JdbcDocumentTable<ScheduleBook> implements ScheduleStore {

    private final String insertIfAbsent;

    public JdbcScheduleStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, "");
    }

    /** Over the table(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public JdbcScheduleStore(JdbcTemplate jdbc, ObjectMapper mapper, String suffix) {
        super(jdbc, mapper, "automation_schedule" + suffix, ScheduleBook.class);
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent(table, List.of("automation_id"),
                "automation_id", "workspace_id", "version", "doc");
    }

    @Override
    public void save(ScheduleBook book) {
        String doc = write(book);
        int updated = jdbc.update("UPDATE " + table + " SET workspace_id = ?, version = ?, doc = ?"
                + " WHERE automation_id = ? AND version < ?", book.workspaceId(), book.version(), doc,
                book.automationId(), book.version());
        if (updated == 0) {
            jdbc.update(insertIfAbsent, book.automationId(), book.workspaceId(), book.version(), doc);
        }
    }

    @Override
    public Optional<ScheduleBook> find(String automationId) {
        return findBy("automation_id", automationId);
    }

    @Override
    public void delete(String automationId) {
        deleteBy("automation_id", automationId);
    }

}
