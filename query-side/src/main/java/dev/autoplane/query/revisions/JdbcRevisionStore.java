package dev.autoplane.query.revisions;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.common.Revision;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** Revision snapshots in H2 or PostgreSQL. */
public class JdbcRevisionStore implements RevisionStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final String insertIfAbsent;

    public JdbcRevisionStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent("automation_revision",
                List.of("automation_id", "major", "minor"), "automation_id", "major", "minor", "workspace_id", "stage", "doc");
    }

    @Override
    public void save(RevisionView r) {
        Revision rev = Revision.parse(r.revision());
        jdbc.update(insertIfAbsent, r.automationId(), rev.major(), rev.minor(), r.workspaceId(), r.stage(),
                JsonDocuments.write(mapper, r));
    }

    @Override
    public List<RevisionView> list(String automationId) {
        return jdbc.queryForList("SELECT doc FROM automation_revision WHERE automation_id = ? ORDER BY major DESC, minor DESC",
                String.class, automationId).stream().map(this::read).toList();
    }

    @Override
    public Optional<RevisionView> find(String automationId, String revision) {
        Revision rev = Revision.parse(revision);
        return jdbc.queryForList("SELECT doc FROM automation_revision WHERE automation_id = ? AND major = ? AND minor = ?",
                String.class, automationId, rev.major(), rev.minor()).stream().findFirst().map(this::read);
    }

    @Override
    public void deleteAll(String automationId) {
        jdbc.update("DELETE FROM automation_revision WHERE automation_id = ?", automationId);
    }

    @Override
    public void clear() {
        jdbc.update("DELETE FROM automation_revision");
    }

    private RevisionView read(String doc) {
        return JsonDocuments.read(mapper, doc, RevisionView.class);
    }
}
