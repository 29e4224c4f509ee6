package dev.autoplane.events.common;

import java.util.Objects;

/**
 * Who did something: a person, an automation acting through its own credential (a service
 * account), or the system itself (bootstrap, scheduler).
 */
public record Actor(ActorKind kind, String id) {

    public static final Actor SYSTEM = new Actor(ActorKind.SYSTEM, "autoplane");

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static Actor user(String id) {
        return new Actor(ActorKind.USER, id);
    }

    public static Actor serviceAccount(String automationId) {
        return new Actor(ActorKind.SERVICE_ACCOUNT, automationId);
    }

    public boolean sameAs(Actor other) {
        return other != null && kind == other.kind && id.equals(other.id);
    }

    public boolean isServiceAccount() {
        return kind == ActorKind.SERVICE_ACCOUNT;
    }

    public boolean isPerson() {
        return kind == ActorKind.USER;
    }
}
