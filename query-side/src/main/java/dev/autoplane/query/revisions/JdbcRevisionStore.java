package dev.autoplane.query.revisions;

import dev.autoplane.query.JdbcDocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.common.Revision;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** Revision snapshots in H2 or PostgreSQL. */
public class JdbcRevisionStore extends JdbcDocumentTable<RevisionView> implements RevisionStore {

    private final String insertIfAbsent;

    public JdbcRevisionStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, "");
    }

    /** Over the table(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public JdbcRevisionStore(JdbcTemplate jdbc, ObjectMapper mapper, String suffix) {
        super(jdbc, mapper, "automation_revision" + suffix, RevisionView.class);
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent(table,
                List.of("automation_id", "major", "minor"), "automation_id", "major", "minor", "workspace_id", "stage", "doc");
    }

    @Override
    public void save(RevisionView r) {
        Revision rev = Revision.parse(r.revision());
        jdbc.update(insertIfAbsent, r.automationId(), rev.major(), rev.minor(), r.workspaceId(), r.stage(),
                write(r));
    }

    @Override
    public List<RevisionView> list(String automationId) {
        return documents("SELECT doc FROM " + table + " WHERE automation_id = ? ORDER BY major DESC, minor DESC",
                automationId);
    }

    @Override
    public Optional<RevisionView> find(String automationId, String revision) {
        Revision rev = Revision.parse(revision);
        return documents("SELECT doc FROM " + table + " WHERE automation_id = ? AND major = ? AND minor = ?",
                automationId, rev.major(), rev.minor()).stream().findFirst();
    }

    @Override
    public void deleteAll(String automationId) {
        deleteBy("automation_id", automationId);
    }

}
