package dev.autoplane.command.connection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.connection.ConnectionRef;
import dev.autoplane.events.connection.ConnectionView;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables {@code connection_directory} (each live connection as its events left it, never its credential)
 * and {@code connection_usage} (which automations use which connection, in their draft and in their latest
 * published revision), kept by {@link ConnectionDirectoryProjection}. Read by the connection endpoints and by
 * the edge of the automation's connection operations (which connections exist, at which latest version).
 */
@Component
public class ConnectionDirectory {

    /** The stages an automation uses a connection in. */
    public static final String DRAFT = "DRAFT";
    public static final String PUBLISHED = "PUBLISHED";

    /** One automation's use of a connection: in which of its stages, at which version. */
    public record Usage(String automationId, String stage, String connectionId, int version) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    ConnectionDirectory(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    // --- connections

    void put(ConnectionView v) {
        jdbc.update("DELETE FROM connection_directory WHERE connection_id = ?", v.id());
        jdbc.update("INSERT INTO connection_directory (connection_id, workspace_id, name, version, doc, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", v.id(), v.workspaceId(), v.name(), v.version(), write(v),
                Timestamp.from(v.createdAt()));
    }

    void remove(String connectionId) {
        jdbc.update("DELETE FROM connection_directory WHERE connection_id = ?", connectionId);
    }

    /** The live connection of that workspace. */
    public Optional<ConnectionView> find(String workspaceId, String connectionId) {
        return jdbc.queryForList("SELECT doc FROM connection_directory WHERE connection_id = ? AND workspace_id = ?",
                String.class, connectionId, workspaceId).stream().map(this::read).findFirst();
    }

    /** A page of the workspace's connections, oldest first, after the connection {@code afterId} (if any). */
    public List<ConnectionView> list(String workspaceId, String afterId, int limit) {
        if (afterId == null) {
            return jdbc.queryForList("SELECT doc FROM connection_directory WHERE workspace_id = ?"
                    + " ORDER BY created_at, connection_id LIMIT ?", String.class, workspaceId, limit)
                    .stream().map(this::read).toList();
        }
        return jdbc.queryForList("SELECT d.doc FROM connection_directory d, connection_directory a"
                        + " WHERE d.workspace_id = ? AND a.connection_id = ? AND (d.created_at > a.created_at"
                        + " OR (d.created_at = a.created_at AND d.connection_id > a.connection_id))"
                        + " ORDER BY d.created_at, d.connection_id LIMIT ?", String.class, workspaceId, afterId, limit)
                .stream().map(this::read).toList();
    }

    /** The latest version of each of these connections that lives in the workspace (absent ids: not there). */
    public Map<String, Integer> latestVersions(String workspaceId, Collection<String> connectionIds) {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (String id : connectionIds) {
            jdbc.queryForList("SELECT version FROM connection_directory WHERE connection_id = ? AND workspace_id = ?",
                    Integer.class, id, workspaceId).stream().findFirst().ifPresent(v -> found.put(id, v));
        }
        return found;
    }

    // --- usage

    void replaceUsage(String automationId, String workspaceId, String stage, List<ConnectionRef> refs) {
        jdbc.update("DELETE FROM connection_usage WHERE automation_id = ? AND stage = ?", automationId, stage);
        if (refs == null) {
            return;
        }
        for (ConnectionRef ref : refs) {
            jdbc.update("INSERT INTO connection_usage (automation_id, stage, connection_id, workspace_id, version)"
                    + " VALUES (?, ?, ?, ?, ?)", automationId, stage, ref.connectionId(), workspaceId, ref.version());
        }
    }

    void removeUsage(String automationId) {
        jdbc.update("DELETE FROM connection_usage WHERE automation_id = ?", automationId);
        jdbc.update("DELETE FROM connection_usage_hidden WHERE automation_id = ?", automationId);
    }

    void hideUsage(String automationId, boolean hidden) {
        jdbc.update("DELETE FROM connection_usage_hidden WHERE automation_id = ?", automationId);
        if (hidden) {
            jdbc.update("INSERT INTO connection_usage_hidden (automation_id) VALUES (?)", automationId);
        }
    }

    /** Every use of the connection by an automation of the workspace that is not deleted, by automation id. */
    public List<Usage> usage(String workspaceId, String connectionId) {
        return jdbc.query("SELECT automation_id, stage, connection_id, version FROM connection_usage u"
                        + " WHERE connection_id = ? AND workspace_id = ? AND NOT EXISTS (SELECT 1 FROM"
                        + " connection_usage_hidden h WHERE h.automation_id = u.automation_id)"
                        + " ORDER BY automation_id, stage",
                (rs, n) -> new Usage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                connectionId, workspaceId);
    }

    /** The automations using the connection, each with the stages it uses it in (in automation id order). */
    public Map<String, List<String>> users(String workspaceId, String connectionId) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (Usage u : usage(workspaceId, connectionId)) {
            users.computeIfAbsent(u.automationId(), k -> new ArrayList<>()).add(u.stage());
        }
        return users;
    }

    private String write(ConnectionView v) {
        try {
            return mapper.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write connection " + v.id(), e);
        }
    }

    private ConnectionView read(String doc) {
        try {
            return mapper.readValue(doc, ConnectionView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a connection", e);
        }
    }
}
