package dev.autoplane.platform.automation;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationEvents.AutomationApprovedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDefinitionRevisedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeletedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliveryClearedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliverySecretRotatedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationDeliverySetEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationOAuthTokenClearedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationOAuthTokenSetEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPausedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationPublishedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationRejectedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationResumedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationReturnedToDraftEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSettingsChangedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationSubmittedEvent;
import dev.autoplane.events.automation.AutomationEvents.AutomationUndeletedEvent;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.AutomationView.CreatedBy;
import dev.autoplane.events.common.ActorKind;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.OccurrenceSkippedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunEvents.RunEndedEvent;
import dev.autoplane.platform.scheduling.SourceBook;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The automation's view while it is being folded from its events. {@link #apply} is a pure function
 * of the events, used by the read model's projection, by {@code ?as_of=} reconstruction and by the
 * aggregate for its command answers alike, so the three can never disagree.
 *
 * <p>It also folds the automation's time sources (schedule and time triggers) through the shared
 * {@link SourceBook}, from the schedule events, the triggers of the settings, and the occurrence
 * events the automation records ({@code JobFiredEvent} of a time source, {@code OccurrenceSkippedEvent}):
 * that gives {@code next_run_at}, and {@code last_run_at} comes from the fires. The projection
 * persists the book beside the view so a restarted projection continues where it was.
 */
public final class AutomationDocument {

    private String id;
    private String workspaceId;
    private String organizationId;
    private AutomationDefinition definition;
    private AutomationSettings settings;
    private String status;
    private long version;
    private String revision;
    private String latestPublishedVersion;
    private boolean oauthTokenPresent;
    private AutomationView.Delivery delivery;
    private CreatedBy createdBy;
    private String reviewedBy;
    private Instant reviewedAt;
    private String rejectionReason;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant deleteTime;
    private Instant purgeTime;
    private Instant lastRunAt;
    private String lastError;
    private SourceBook book = new SourceBook();
    private boolean bookTouched;

    /** Folds one event at aggregate sequence number {@code sequence}, stamped {@code at}. */
    public static AutomationDocument apply(AutomationDocument current, Object event, long sequence, Instant at) {
        AutomationDocument d = current;
        if (event instanceof AutomationCreatedEvent e) {
            d = new AutomationDocument();
            d.id = e.automationId();
            d.workspaceId = e.workspaceId();
            d.organizationId = e.organizationId();
            d.definition = e.definition();
            d.settings = e.settings();
            d.status = "draft";
            d.revision = e.revision();
            d.createdBy = new CreatedBy(e.createdBy().kind().wire(), e.createdBy().id());
            d.createdAt = e.createdAt();
            d.foldSources(event);
        } else if (d == null) {
            return null;
        } else if (event instanceof JobFiredEvent e) {
            if (e.firedAt() != null && (d.lastRunAt == null || e.firedAt().isAfter(d.lastRunAt))) {
                d.lastRunAt = e.firedAt();
            }
            d.foldSources(event);
            d.version = sequence; // a fire is not an update of the automation: updated_at stays
            return d;
        } else if (event instanceof OccurrenceSkippedEvent || event instanceof RunCanceledEvent
                || event instanceof RunEndedEvent) { // nor is a run's end: updated_at stays
            if (event instanceof RunEndedEvent e && !"canceled".equals(e.status())) {
                d.lastError = e.error(); // a failed run's error, until a later run completes
            }
            d.foldSources(event);
            d.version = sequence;
            return d;
        } else if (event instanceof AutomationDefinitionRevisedEvent e) {
            d.definition = e.definition();
            d.revision = e.revision();
        } else if (event instanceof AutomationSettingsChangedEvent e) {
            d.settings = e.settings();
        } else if (event instanceof AutomationOAuthTokenSetEvent) {
            d.oauthTokenPresent = true;
        } else if (event instanceof AutomationOAuthTokenClearedEvent) {
            d.oauthTokenPresent = false;
        } else if (event instanceof AutomationDeliverySetEvent e) {
            d.delivery = new AutomationView.Delivery(e.url(), e.signingSecret() != null);
        } else if (event instanceof AutomationDeliveryClearedEvent) {
            d.delivery = null;
        } else if (event instanceof AutomationDeliverySecretRotatedEvent) {
            d.delivery = d.delivery == null ? null : new AutomationView.Delivery(d.delivery.url(), true);
        } else if (event instanceof AutomationSubmittedEvent) {
            d.status = "pending_approval";
            d.rejectionReason = null;
        } else if (event instanceof AutomationApprovedEvent e) {
            d.status = "active";
            d.reviewedBy = e.approvedBy().id();
            d.reviewedAt = e.approvedAt();
        } else if (event instanceof AutomationRejectedEvent e) {
            d.status = "rejected";
            d.reviewedBy = e.rejectedBy().id();
            d.reviewedAt = e.rejectedAt();
            d.rejectionReason = e.reason();
        } else if (event instanceof AutomationReturnedToDraftEvent) {
            d.status = "draft";
        } else if (event instanceof AutomationPausedEvent) {
            d.status = "paused";
        } else if (event instanceof AutomationResumedEvent) {
            d.status = "active";
        } else if (event instanceof AutomationPublishedEvent e) {
            d.latestPublishedVersion = e.revision();
            d.revision = e.revision();
        } else if (event instanceof AutomationDeletedEvent e) {
            d.deleteTime = e.deleteTime();
            d.purgeTime = e.purgeTime();
        } else if (event instanceof AutomationUndeletedEvent) {
            d.deleteTime = null;
            d.purgeTime = null;
        }
        if (!(event instanceof AutomationCreatedEvent)) {
            d.foldSources(event);
        }
        d.version = sequence;
        d.updatedAt = at;
        return d;
    }

    /**
     * Folds the event into the time sources with the one fold the command side fires by
     * ({@link SourceBook#apply}). A spec that no longer parses (it was validated when it was set)
     * must not stop the projection: the book stays as it was for that event.
     */
    private void foldSources(Object event) {
        boolean had = !book.entries().isEmpty();
        try {
            book.apply(event);
        } catch (RuntimeException unplaceable) {
            // nothing to place
        }
        bookTouched |= had || !book.entries().isEmpty();
    }

    /** Whether the automation has a schedule or time triggers (only then is its book stored). */
    public boolean hasTimeSources() {
        return !book.entries().isEmpty();
    }

    public String id() {
        return id;
    }

    public String workspaceId() {
        return workspaceId;
    }

    /** The time sources as folded so far. */
    public SourceBook book() {
        return book;
    }

    /** Whether the time sources were touched since the document was made or loaded (they need writing). */
    public boolean scheduleBookChanged() {
        return bookTouched;
    }

    /** The earliest next occurrence, while the automation is active, enabled and not deleted. */
    public Instant nextRunAt() {
        return book.runs() ? book.nextRunAt().orElse(null) : null;
    }

    public long version() {
        return version;
    }

    /** The document a stored view (and its stored book, if any) was made from (the projection continues from the stored state). */
    public static AutomationDocument fromView(AutomationView v, SourceBook schedule) {
        AutomationDocument d = new AutomationDocument();
        // no stored book: the automation has no time sources, and the view says all the book would
        d.book = schedule != null ? schedule : SourceBook.from(new SourceBook.State(java.util.List.of(),
                v.status(), v.deleteTime() != null, v.enabled()));
        d.lastRunAt = v.lastRunAt();
        d.lastError = v.lastError();
        d.id = v.id();
        d.workspaceId = v.workspaceId();
        d.organizationId = v.organizationId();
        d.definition = new AutomationDefinition(v.name(), v.description(), v.kind(), v.config(), v.prompt(), v.code(),
                v.englishCode(), v.agentName(), v.repositoryIds(), v.repositorySetId(), v.workspaceLifecyclePolicy(),
                v.workspaceAutoStopMinutes(), v.defaultInputs());
        d.settings = new AutomationSettings(v.teamId(), v.triggers(), v.fireLimit(), v.retry(), v.misfire(),
                v.overlapPolicy(), v.scopes(), v.teamScope(), v.providerType(), v.credentialLabel(), v.suspended(),
                v.enabled());
        d.status = v.status();
        d.version = v.version();
        d.revision = v.revision();
        d.latestPublishedVersion = v.latestPublishedVersion();
        d.oauthTokenPresent = v.oauthTokenPresent();
        d.delivery = v.delivery();
        d.createdBy = v.createdBy();
        d.reviewedBy = v.reviewedBy();
        d.reviewedAt = v.reviewedAt();
        d.rejectionReason = v.rejectionReason();
        d.createdAt = v.createdAt();
        d.updatedAt = v.updatedAt();
        d.deleteTime = v.deleteTime();
        d.purgeTime = v.purgeTime();
        return d;
    }

    public AutomationView toView() {
        AutomationDefinition def = definition;
        AutomationSettings s = settings;
        boolean serviceAccount = createdBy != null && createdBy.kind().equals(ActorKind.SERVICE_ACCOUNT.wire());
        return new AutomationView(id, workspaceId, organizationId, s.teamId(), def.name(), def.description(),
                def.kind(), nonNull(def.config()), def.prompt(), def.code(), def.englishCode(), def.agentName(),
                nonNull(def.repositoryIds()), def.repositorySetId(), def.workspaceLifecyclePolicy(),
                def.workspaceAutoStopMinutes(), nonNull(def.defaultInputs()), nonNull(s.triggers()), s.fireLimit(),
                s.retry(), s.misfire(), s.overlapPolicy(), status, s.enabled(),
                latestPublishedVersion == null ? "none" : "active".equals(status) ? "active" : "inactive",
                version, revision, latestPublishedVersion, nonNull(s.scopes()), nonNull(s.teamScope()),
                s.providerType(), s.credentialLabel(), s.suspended(), oauthTokenPresent, delivery, createdBy,
                serviceAccount ? createdBy.id() : null, reviewedBy, reviewedAt, rejectionReason,
                lastRunAt, lastError, nextRunAt(), createdAt, updatedAt, deleteTime, purgeTime);
    }

    private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
