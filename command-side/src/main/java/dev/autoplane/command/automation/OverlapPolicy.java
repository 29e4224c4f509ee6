package dev.autoplane.command.automation;

import java.util.Arrays;

/**
 * What a new fire does while runs of the automation are still open ({@code overlap_policy}). The
 * wire value is what events and the API carry; the field rules have validated it already.
 */
enum OverlapPolicy {
    /** Fire anyway. */
    ALLOW("allow"),
    /** Record the occurrence as {@code skipped_overlap}. */
    SKIP("skip"),
    /** Hold one occurrence per source until the open runs end; any further one is {@code skipped_overlap}. */
    BUFFER_ONE("buffer_one"),
    /** Cancel the open runs, then fire. */
    CANCEL_OTHER("cancel_other");

    private final String wire;

    OverlapPolicy(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    /** The policy named by {@code wire}; {@link #ALLOW} when none is set. */
    static OverlapPolicy fromWire(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst().orElse(ALLOW);
    }
}
