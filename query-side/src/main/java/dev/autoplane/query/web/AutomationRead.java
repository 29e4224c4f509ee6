package dev.autoplane.query.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.query.runs.RunSummary;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * An automation as a read shows it: the automation's view (the fields a command's answer shows) and what
 * it is doing now, from the run read model: the status of its newest run and how many of its runs are in
 * each status. These two move without the automation's version (a heartbeat is not a change of the
 * automation), so command answers do not show them, and a read {@code as_of} an instant shows the plain
 * view (they are figures of now, not of then).
 */
@Schema(name = "AutomationRead")
record AutomationRead(
        @JsonUnwrapped AutomationView automation,
        @Schema(description = "the current status of the newest run; absent before the first run",
                allowableValues = {"scheduled", "running", "delegated", "completed", "failed", "canceled"})
        String lastRunStatus,
        @Schema(description = "how many of the automation's runs are in each status now",
                example = "{\"scheduled\": 1, \"running\": 2, \"delegated\": 0, \"completed\": 40, \"failed\": 3, \"canceled\": 0}")
        Map<String, Long> runCounts) {

    /** The automation with its runs' summary ({@code null}: it has had no run yet). */
    static AutomationRead of(AutomationView automation, RunSummary summary) {
        RunSummary s = summary != null ? summary : new RunSummary(automation.id(), null, null, null);
        return new AutomationRead(automation, s.lastRunStatus(), s.orderedCounts());
    }
}
