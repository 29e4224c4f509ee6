package dev.autoplane.events.common;

import java.util.Locale;

public enum ActorKind {
    USER, SERVICE_ACCOUNT, SYSTEM;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
