package dev.autoplane.command.run;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.run.RunView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run's business errors, each with a stable code; conflicts carry the run's {@code current_status}. */
final class RunErrors {

    private RunErrors() {
    }

    static DomainException notFound(String runId) {
        return DomainException.notFound("run_not_found", "run " + runId + " not found");
    }

    static DomainException outsideTeams(List<String> teams) {
        return DomainException.forbidden("outside_team_scope",
                "you are limited to the teams " + teams + ": this run's automation is not of them");
    }

    static DomainException notLeasable(RunView run) {
        return conflict("not_leasable", "run " + run.id() + " is " + run.status() + ": only a scheduled run can be leased",
                run);
    }

    static DomainException notDue(RunView run) {
        return conflict("not_due", "run " + run.id() + " is due again at " + run.nextAttemptAt(), run);
    }

    static DomainException notLeaseHolder(RunView run, String report) {
        return conflict("not_lease_holder", "run " + run.id() + " is " + run.status() + " and you do not hold its lease: "
                + "only the current lease holder may " + report + " it", run);
    }

    static DomainException illegalReport(RunView run, String report) {
        return conflict("illegal_report", "run " + run.id() + " is " + run.status() + " and cannot " + report, run);
    }

    private static DomainException conflict(String code, String message, RunView run) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("current_status", run.status());
        properties.put("attempt", run.attempt());
        if (run.nextAttemptAt() != null) {
            properties.put("next_attempt_at", run.nextAttemptAt().toString());
        }
        return DomainException.conflict(code, message, properties);
    }
}
