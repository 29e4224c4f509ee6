package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.common.EncryptedValue;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Events of the automation lifecycle. Flat, past tense, revisioned from day one. No secret value
 * appears here: the credential is a keyed hash, the OAuth token ciphertext under a per-subject key.
 */
public final class AutomationEvents {

    private AutomationEvents() {
    }

    /** A new automation, always as a {@code draft} at revision {@code 0.1}; status events follow in the same commit. */
    @Revision("1")
    public record AutomationCreatedEvent(String automationId, String workspaceId, String organizationId,
                                         AutomationDefinition definition, AutomationSettings settings,
                                         String revision, Actor createdBy, Instant createdAt) implements AutomationStreamEvent {
    }

    /** An accepted change of the definition: a new immutable draft revision. */
    @Revision("1")
    public record AutomationDefinitionRevisedEvent(String automationId, String workspaceId, String revision,
                                                   AutomationDefinition definition, Actor revisedBy,
                                                   Instant revisedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationSettingsChangedEvent(String automationId, String workspaceId,
                                                 AutomationSettings settings, Actor changedBy, Instant changedAt) implements AutomationStreamEvent {
    }

    /** The automation's machine credential: only the keyed hash of the secret. */
    @Revision("1")
    public record AutomationSecretIssuedEvent(String automationId, String workspaceId, String secretId,
                                              String secretHash, Actor issuedBy, Instant issuedAt) implements AutomationStreamEvent {
    }

    /**
     * A new secret replaced the previous one, which keeps working while the clock reads before
     * {@code previousSecretValidUntil} (the rotation time plus the grace period) and never after.
     * Only keyed hashes and the deadline are recorded.
     */
    @Revision("1")
    public record AutomationSecretRotatedEvent(String automationId, String workspaceId, String secretId,
                                               String secretHash, String previousSecretId, String previousSecretHash,
                                               Instant previousSecretValidUntil, Actor rotatedBy, Instant rotatedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationOAuthTokenSetEvent(String automationId, String workspaceId, EncryptedValue oauthToken,
                                               Actor setBy, Instant setAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationOAuthTokenClearedEvent(String automationId, String workspaceId, Actor clearedBy,
                                                   Instant clearedAt) implements AutomationStreamEvent {
    }

    /**
     * Push delivery was set ({@code delivery: {url}}): every run is POSTed to {@code url}, signed with a new
     * {@code whsec_} secret, recorded only as ciphertext under the automation's own key.
     */
    @Revision("1")
    public record AutomationDeliverySetEvent(String automationId, String workspaceId, String url,
                                             EncryptedValue signingSecret, Actor setBy, Instant setAt)
            implements AutomationStreamEvent {
    }

    /** Push delivery was switched off ({@code delivery: null}): runs wait for pull executors again. */
    @Revision("1")
    public record AutomationDeliveryClearedEvent(String automationId, String workspaceId, Actor clearedBy,
                                                 Instant clearedAt) implements AutomationStreamEvent {
    }

    /**
     * The delivery signing secret was rotated: deliveries are signed with {@code signingSecret} and, while
     * the clock reads before {@code previousValidUntil}, with {@code previousSigningSecret} too (ciphertexts only).
     */
    @Revision("1")
    public record AutomationDeliverySecretRotatedEvent(String automationId, String workspaceId,
                                                       EncryptedValue signingSecret, EncryptedValue previousSigningSecret,
                                                       Instant previousValidUntil, Actor rotatedBy, Instant rotatedAt)
            implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationSubmittedEvent(String automationId, String workspaceId, String revision,
                                           Actor submittedBy, Instant submittedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationApprovedEvent(String automationId, String workspaceId, String revision,
                                          Actor approvedBy, Instant approvedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationRejectedEvent(String automationId, String workspaceId, String revision, String reason,
                                          Actor rejectedBy, Instant rejectedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationReturnedToDraftEvent(String automationId, String workspaceId, Actor returnedBy,
                                                 Instant returnedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationPausedEvent(String automationId, String workspaceId, Actor pausedBy, Instant pausedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationResumedEvent(String automationId, String workspaceId, Actor resumedBy,
                                         Instant resumedAt) implements AutomationStreamEvent {
    }

    /** The draft became an immutable published revision {@code N.0}. */
    @Revision("1")
    public record AutomationPublishedEvent(String automationId, String workspaceId, String revision,
                                           String fromRevision, AutomationDefinition definition,
                                           Actor publishedBy, Instant publishedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationDeletedEvent(String automationId, String workspaceId, Instant deleteTime,
                                         Instant purgeTime, Actor deletedBy) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationUndeletedEvent(String automationId, String workspaceId, Actor undeletedBy,
                                           Instant undeletedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationPurgedEvent(String automationId, String workspaceId, Actor purgedBy, Instant purgedAt) implements AutomationStreamEvent {
    }
}
