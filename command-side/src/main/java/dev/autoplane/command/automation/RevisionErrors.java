package dev.autoplane.command.automation;

import dev.autoplane.events.common.DomainException;

import java.util.Map;

/** Business errors of seed 002's revision operations (see {@link Revising}). */
final class RevisionErrors {

    private RevisionErrors() {
    }

    static DomainException deactivated(String automationId) {
        return DomainException.conflict("deactivated", "automation " + automationId + " is deactivated: its published "
                + "revision does not run until it is activated (POST .../activate)", Map.of("activation_state", "DEACTIVATED"));
    }
}
