package dev.autoplane.command.webhook;

import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keeps {@code webhook_trigger} (the webhook triggers of every automation, by endpoint) in step with
 * the automations' settings. A subscribing processor where events and tables share a database (see
 * {@code CommandSideConfiguration#inTransactionProcessors}): in the transaction that appends the
 * settings, so a committed trigger is on its endpoint. The in-memory {@link WebhookDirectory} reloads
 * the endpoints touched once that transaction has committed.
 */
@Component
@ProcessingGroup(WebhookTriggerProjection.PROCESSING_GROUP)
public class WebhookTriggerProjection {

    public static final String PROCESSING_GROUP = "webhook-triggers";

    private final JdbcTemplate jdbc;
    private final WebhookDirectory directory;

    WebhookTriggerProjection(JdbcTemplate jdbc, WebhookDirectory directory) {
        this.jdbc = jdbc;
        this.directory = directory;
    }

    @EventHandler
    void on(AutomationCreatedEvent e) {
        replace(e.automationId(), e.workspaceId(), e.settings());
    }

    @EventHandler
    void on(AutomationSettingsChangedEvent e) {
        replace(e.automationId(), e.workspaceId(), e.settings());
    }

    @EventHandler
    void on(AutomationDeletedEvent e) {
        flag(e.automationId(), true);
    }

    @EventHandler
    void on(AutomationUndeletedEvent e) {
        flag(e.automationId(), false);
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        Set<String> touched = endpoints(e.automationId());
        jdbc.update("DELETE FROM webhook_trigger WHERE automation_id = ?", e.automationId());
        reloadAfterCommit(touched);
    }

    private void replace(String automationId, String workspaceId, AutomationSettings settings) {
        Set<String> touched = endpoints(automationId);
        jdbc.update("DELETE FROM webhook_trigger WHERE automation_id = ?", automationId);
        for (TriggerSpec t : settings.triggers()) {
            String key = "webhook".equals(t.type()) ? WebhookDirectory.key(workspaceId, t.config()) : null;
            if (key == null) {
                continue;
            }
            jdbc.update("INSERT INTO webhook_trigger (automation_id, trigger_id, workspace_id, endpoint_key, event,"
                            + " match_filter, cel_filter, enabled, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                    automationId, t.id(), workspaceId, key, t.event(), WebhookDirectory.filterJson(t.config().get("filter")),
                    t.filter(), t.enabled());
            touched.add(key);
        }
        reloadAfterCommit(touched);
    }

    private void flag(String automationId, boolean deleted) {
        Set<String> touched = endpoints(automationId);
        jdbc.update("UPDATE webhook_trigger SET deleted = ? WHERE automation_id = ?", deleted, automationId);
        reloadAfterCommit(touched);
    }

    private Set<String> endpoints(String automationId) {
        return new LinkedHashSet<>(jdbc.queryForList("SELECT endpoint_key FROM webhook_trigger WHERE automation_id = ?",
                String.class, automationId));
    }

    private void reloadAfterCommit(Set<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> keys.forEach(directory::reload));
        } else {
            keys.forEach(directory::reload);
        }
    }
}
