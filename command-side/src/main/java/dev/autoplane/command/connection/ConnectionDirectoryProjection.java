package dev.autoplane.command.connection;

import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPurgedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionChangedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionCreatedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionDeletedEvent;
import dev.autoplane.events.connection.ConnectionView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Keeps {@link ConnectionDirectory} in step with the connection events and the automations' definitions: a
 * subscribing processor in the transaction that appends them (embedded and postgres modes), so a connection
 * is listed, and its use by an automation counted, from the moment its command commits. Deleting a connection
 * also destroys its key (crypto-shredding of its credential), in the same transaction. Idempotent.
 */
@Component
@ProcessingGroup(ConnectionDirectoryProjection.PROCESSING_GROUP)
public class ConnectionDirectoryProjection {

    public static final String PROCESSING_GROUP = "connection-directory";

    private final ConnectionDirectory directory;
    private final FieldCipher cipher;

    ConnectionDirectoryProjection(ConnectionDirectory directory, FieldCipher cipher) {
        this.directory = directory;
        this.cipher = cipher;
    }

    @EventHandler
    void on(ConnectionCreatedEvent e) {
        directory.put(new ConnectionView(e.connectionId(), e.workspaceId(), e.name(), e.provider(), e.version(),
                e.config() == null ? Map.of() : e.config(), e.credential() != null, e.createdBy().id(), e.createdAt(),
                e.createdBy().id(), e.createdAt()));
    }

    @EventHandler
    void on(ConnectionChangedEvent e) {
        directory.find(e.workspaceId(), e.connectionId()).ifPresent(v -> directory.put(new ConnectionView(v.id(),
                v.workspaceId(), e.name(), v.provider(), e.version(), e.config() == null ? Map.of() : e.config(),
                e.credential() != null || (!e.credentialCleared() && v.credentialPresent()), v.createdBy(),
                v.createdAt(), e.changedBy().id(), e.changedAt())));
    }

    @EventHandler
    void on(ConnectionDeletedEvent e) {
        directory.remove(e.connectionId());
        cipher.shred(e.connectionId());
    }

    @EventHandler
    void on(AutomationCreatedEvent e) {
        directory.replaceUsage(e.automationId(), e.workspaceId(), ConnectionDirectory.DRAFT, e.definition().connections());
    }

    @EventHandler
    void on(AutomationDefinitionRevisedEvent e) {
        directory.replaceUsage(e.automationId(), e.workspaceId(), ConnectionDirectory.DRAFT, e.definition().connections());
    }

    @EventHandler
    void on(AutomationPublishedEvent e) {
        directory.replaceUsage(e.automationId(), e.workspaceId(), ConnectionDirectory.DRAFT, e.definition().connections());
        directory.replaceUsage(e.automationId(), e.workspaceId(), ConnectionDirectory.PUBLISHED,
                e.definition().connections());
    }

    @EventHandler
    void on(AutomationDeletedEvent e) {
        directory.hideUsage(e.automationId(), true);
    }

    @EventHandler
    void on(AutomationUndeletedEvent e) {
        directory.hideUsage(e.automationId(), false);
    }

    @EventHandler
    void on(AutomationPurgedEvent e) {
        directory.removeUsage(e.automationId());
    }
}
