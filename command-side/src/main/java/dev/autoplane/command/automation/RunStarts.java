package dev.autoplane.command.automation;

import dev.autoplane.command.run.RetryPolicy;
import dev.autoplane.command.run.Run;
import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.run.RunEvents.JobFiredEvent;
import dev.autoplane.events.run.RunEvents.RunDefinition;
import dev.autoplane.events.run.RunEvents.RunScheduledEvent;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

/**
 * How a fire starts its run: the automation records the {@link JobFiredEvent} (its schedule index and
 * cursors follow it) and, in the same unit of work and transaction, creates the {@link Run} aggregate
 * with a {@link RunScheduledEvent} carrying what executing and retrying the run needs.
 */
final class RunStarts {

    private RunStarts() {
    }

    /**
     * Records the fire and creates its run. {@code published}: the definition of the latest published
     * revision ({@code null} if unknown, e.g. a snapshot from before it was kept: the current definition).
     */
    static void start(JobFiredEvent fired, FireContext ctx, AutomationDefinition published) {
        apply(fired);
        AutomationDefinition d = "draft".equals(fired.stage()) || published == null ? ctx.definition() : published;
        RunScheduledEvent scheduled = new RunScheduledEvent(fired.runId(), fired.automationId(), fired.workspaceId(),
                ctx.settings().teamId(), fired.fireId(), fired.sourceId(), fired.triggerType(), fired.source(),
                fired.scheduledAt(), fired.firedAt(), fired.revision(), fired.stage(), fired.inputs(), fired.agentName(),
                fired.maxAttempts(), retry(fired.sourceId(), ctx),
                new RunDefinition(d.kind(), d.config(), d.prompt(), d.code(), d.agentName(), d.repositoryIds()),
                fired.reason());
        try {
            createNew(Run.class, () -> new Run(scheduled));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not create run " + fired.runId(), e);
        }
    }

    /** The retry policy of a run of this source: the trigger's, else the automation's. */
    static AutomationSettings.RetryPolicy retry(String sourceId, FireContext ctx) {
        TriggerSpec t = ctx.trigger(sourceId);
        return t != null && t.retry() != null ? t.retry() : ctx.settings().retry();
    }

    static int maxAttempts(String sourceId, FireContext ctx) {
        return RetryPolicy.of(retry(sourceId, ctx)).maxAttempts();
    }

    /** The automation's {@code default_inputs} overlaid with the request's {@code inputs}. */
    static Map<String, Object> inputs(FireContext ctx, Map<String, Object> requested) {
        Map<String, Object> inputs = new LinkedHashMap<>(defaultInputs(ctx));
        if (requested != null) {
            FieldReader r = new FieldReader();
            Map<String, Object> given = r.freeForm("inputs", requested);
            if (!r.ok()) {
                throw DomainException.invalid(r.violations);
            }
            inputs.putAll(given);
        }
        return inputs;
    }

    static Map<String, Object> defaultInputs(FireContext ctx) {
        return ctx.definition().defaultInputs() == null ? Map.of() : ctx.definition().defaultInputs();
    }
}
