package dev.autoplane.events.run;

/**
 * A run as its lease answers it: the run, the lease's id (to send with reports when several executors
 * share a credential) and the definition of the revision it executes.
 */
public record LeasedRun(RunView run, String leaseId, RunEvents.RunDefinition definition) {
}
