package dev.autoplane.platform.jdbc;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * Names unique per workspace, in a command-side table whose primary key is (workspace, lower-cased
 * name) and whose third column names the owner. Writes join the command's transaction: a command
 * that fails claims and releases nothing.
 */
public record NameClaims(JdbcTemplate jdbc, String table, String ownerColumn, String insertIfAbsent) {

    public static NameClaims of(JdbcTemplate jdbc, String table, String ownerColumn) {
        return new NameClaims(jdbc, table, ownerColumn, SqlDialect.of(jdbc).insertIfAbsent(table,
                List.of("workspace_id", "name_key"), "workspace_id", "name_key", ownerColumn));
    }

    /** Claims {@code key} for {@code owner}; answers whether {@code owner} holds it now. */
    public boolean claim(String workspaceId, String key, String owner) {
        List<String> holder = List.of();
        for (int attempt = 0; attempt < 2 && holder.isEmpty(); attempt++) {
            try {
                if (jdbc.update(insertIfAbsent, workspaceId, key, owner) == 1) {
                    return true; // inserted: ours (the common case answers without reading the row back)
                }
            } catch (DuplicateKeyException e) {
                // a concurrent transaction claimed the same key and committed while we waited for its lock
            }
            holder = jdbc.queryForList("SELECT " + ownerColumn + " FROM " + table + " WHERE workspace_id = ? AND name_key = ?",
                    String.class, workspaceId, key);
            // empty: the concurrent claim rolled back; try once more
        }
        return !holder.isEmpty() && holder.get(0).equals(owner);
    }

    /** Releases {@code key} if {@code owner} holds it. */
    public void release(String workspaceId, String key, String owner) {
        jdbc.update("DELETE FROM " + table + " WHERE workspace_id = ? AND name_key = ? AND " + ownerColumn + " = ?",
                workspaceId, key, owner);
    }
}
