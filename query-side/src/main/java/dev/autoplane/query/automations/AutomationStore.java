package dev.autoplane.query.automations;

import dev.autoplane.events.automation.AutomationView;

import java.util.List;
import java.util.Optional;

/**
 * The automation read model's port. Adapters: {@link JdbcAutomationStore} (H2, PostgreSQL) and
 * {@link MongoAutomationStore} (MongoDB); one contract test suite holds them to the same behaviour.
 */
public interface AutomationStore {

    /** Inserts or replaces the view, unless the stored one has a higher version (replays change nothing). */
    void save(AutomationView view);

    void delete(String automationId);

    Optional<AutomationView> find(String automationId);

    /**
     * Up to {@code limit} automations of the workspace with ids greater than {@code afterId}, in id
     * order (UUIDv7: creation order), keyset-paginated.
     */
    List<AutomationView> page(String workspaceId, String afterId, boolean includeDeleted, int limit);

    /** Removes everything (before a replay). */
    void clear();
}
