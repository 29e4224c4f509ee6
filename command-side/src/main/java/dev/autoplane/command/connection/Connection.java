package dev.autoplane.command.connection;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.connection.ConnectionCommands.CreateConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.DeleteConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.DescribeConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.UpdateConnectionCommand;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionChangedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionCreatedEvent;
import dev.autoplane.events.connection.ConnectionEvents.ConnectionDeletedEvent;
import dev.autoplane.events.connection.ConnectionView;
import dev.autoplane.platform.text.TextRules;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A workspace connection (seed 002): a named, versioned configuration of a provider with a write-only
 * credential, encrypted under the connection's own key. Every command answers the connection as it
 * left it ({@link ConnectionView}, never the credential). Its {@code version} starts at 1 and grows by one
 * with each change of {@code config} or of the credential; automations pin the version they use.
 */
@Aggregate
class Connection {

    static final int MAX_CONFIG_KEYS = 100;
    static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");

    @AggregateIdentifier
    private String connectionId;
    private String workspaceId;
    private String name;
    private String provider;
    private int version;
    private Map<String, Object> config;
    private boolean credentialPresent;
    private String createdBy;
    private Instant createdAt;
    private String updatedBy;
    private Instant updatedAt;
    private boolean deleted;

    Connection() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    ConnectionView handle(CreateConnectionCommand cmd) {
        String n = TextRules.NAME.require("name", cmd.name());
        if (cmd.provider() == null || !PROVIDER.matcher(cmd.provider()).matches()) {
            throw DomainException.invalid("provider", "is required: 1 to 100 of a-z 0-9 _ . - (e.g. slack, github)");
        }
        Map<String, Object> c = config(cmd.config());
        apply(new ConnectionCreatedEvent(cmd.connectionId(), cmd.workspaceId(), n, cmd.provider(), 1, c,
                cmd.credential(), cmd.actor(), cmd.at()));
        // state is applied when the creating handler returns: answer from the values at hand
        return new ConnectionView(cmd.connectionId(), cmd.workspaceId(), n, cmd.provider(), 1, c,
                cmd.credential() != null, cmd.actor().id(), cmd.at(), cmd.actor().id(), cmd.at());
    }

    @CommandHandler
    ConnectionView handle(UpdateConnectionCommand cmd) {
        requireIn(cmd.workspaceId());
        String n = cmd.name() == null ? name : TextRules.NAME.require("name", cmd.name());
        Map<String, Object> c = cmd.config() == null ? config : config(cmd.config());
        boolean credentialChanged = cmd.credential() != null || (cmd.clearCredential() && credentialPresent);
        boolean versioned = credentialChanged || !c.equals(config);
        if (!versioned && n.equals(name)) {
            return view(); // nothing changes: no event
        }
        apply(new ConnectionChangedEvent(connectionId, workspaceId, n, versioned ? version + 1 : version, c,
                cmd.credential(), cmd.credential() == null && cmd.clearCredential(), cmd.actor(), cmd.at()));
        return view();
    }

    @CommandHandler
    void handle(DeleteConnectionCommand cmd) {
        requireIn(cmd.workspaceId());
        apply(new ConnectionDeletedEvent(connectionId, workspaceId, cmd.actor(), cmd.at()));
    }

    @CommandHandler
    ConnectionView handle(DescribeConnectionCommand cmd) {
        requireIn(cmd.workspaceId());
        return view();
    }

    private void requireIn(String ws) {
        if (deleted || !Objects.equals(workspaceId, ws)) {
            throw notFound(connectionId);
        }
    }

    static DomainException notFound(String id) {
        return DomainException.notFound("connection_not_found", "connection " + id + " not found");
    }

    private static Map<String, Object> config(Map<String, Object> sent) {
        if (sent == null) {
            return Map.of();
        }
        if (sent.size() > MAX_CONFIG_KEYS) {
            throw DomainException.invalid("config", "at most " + MAX_CONFIG_KEYS + " keys");
        }
        return sent;
    }

    private ConnectionView view() {
        return new ConnectionView(connectionId, workspaceId, name, provider, version, config, credentialPresent,
                createdBy, createdAt, updatedBy, updatedAt);
    }

    @EventSourcingHandler
    void on(ConnectionCreatedEvent e) {
        connectionId = e.connectionId();
        workspaceId = e.workspaceId();
        name = e.name();
        provider = e.provider();
        version = e.version();
        config = e.config() == null ? Map.of() : e.config();
        credentialPresent = e.credential() != null;
        createdBy = e.createdBy().id();
        createdAt = e.createdAt();
        updatedBy = createdBy;
        updatedAt = createdAt;
    }

    @EventSourcingHandler
    void on(ConnectionChangedEvent e) {
        name = e.name();
        version = e.version();
        config = e.config() == null ? Map.of() : e.config();
        if (e.credential() != null) {
            credentialPresent = true;
        } else if (e.credentialCleared()) {
            credentialPresent = false;
        }
        updatedBy = e.changedBy().id();
        updatedAt = e.changedAt();
    }

    @EventSourcingHandler
    void on(ConnectionDeletedEvent e) {
        deleted = true;
        updatedBy = e.deletedBy().id();
        updatedAt = e.deletedAt();
    }

}
