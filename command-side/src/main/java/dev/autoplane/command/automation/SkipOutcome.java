package dev.autoplane.command.automation;

/** The outcomes of an occurrence that did not fire, as {@code OccurrenceSkippedEvent} carries them. */
enum SkipOutcome {
    /** Due longer ago than the misfire grace, and the catch-up policy does not run it. */
    MISSED("missed"),
    /** Due while the automation was paused. */
    SKIPPED_PAUSED("skipped_paused"),
    /** Due while the published revision was deactivated (seed 002's activation state). */
    SKIPPED_DEACTIVATED("skipped_deactivated"),
    /** Runs were open and the overlap policy refused it. */
    SKIPPED_OVERLAP("skipped_overlap"),
    /** A fire limit was reached. */
    THROTTLED("throttled"),
    /** Held by {@code buffer_one} until the open runs end. */
    BUFFERED("buffered"),
    /** A webhook delivery for an automation that is not active (draft, pending approval, rejected) or not enabled. */
    SKIPPED_INACTIVE("skipped_inactive");

    private final String wire;

    SkipOutcome(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }
}
