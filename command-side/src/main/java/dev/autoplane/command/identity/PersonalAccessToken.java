package dev.autoplane.command.identity;

import dev.autoplane.platform.text.TextRules;
import dev.autoplane.events.identity.IdentityCommands.IssuePersonalAccessTokenCommand;
import dev.autoplane.events.identity.IdentityCommands.RevokePersonalAccessTokenCommand;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenIssuedEvent;
import dev.autoplane.events.identity.IdentityEvents.PersonalAccessTokenRevokedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A person's personal access token: only its keyed hash is ever recorded. Revoking twice is a no-op. */
@Aggregate
class PersonalAccessToken {

    @AggregateIdentifier
    private String tokenId;
    private String userId;
    private boolean revoked;

    PersonalAccessToken() {
        // for Axon
    }

    @CommandHandler
    PersonalAccessToken(IssuePersonalAccessTokenCommand cmd) {
        apply(new PersonalAccessTokenIssuedEvent(cmd.tokenId(), cmd.userId(), TextRules.NAME.require("name", cmd.name()), cmd.tokenHash(),
                cmd.expiresAt(), cmd.actor(), cmd.at()));
    }

    @CommandHandler
    void handle(RevokePersonalAccessTokenCommand cmd) {
        if (!revoked) {
            apply(new PersonalAccessTokenRevokedEvent(tokenId, userId, cmd.actor(), cmd.at()));
        }
    }

    @EventSourcingHandler
    void on(PersonalAccessTokenIssuedEvent e) {
        tokenId = e.tokenId();
        userId = e.userId();
    }

    @EventSourcingHandler
    void on(PersonalAccessTokenRevokedEvent e) {
        revoked = true;
    }
}
