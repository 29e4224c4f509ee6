package dev.autoplane.events.automation;

import java.util.Locale;
import java.util.Optional;

/** The status machine: {@code draft → pending_approval → active | rejected}, {@code active ⇄ paused}, {@code rejected → draft}. */
public enum AutomationStatus {
    DRAFT, PENDING_APPROVAL, ACTIVE, PAUSED, REJECTED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AutomationStatus> fromWire(String value) {
        for (AutomationStatus s : values()) {
            if (s.wire().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
