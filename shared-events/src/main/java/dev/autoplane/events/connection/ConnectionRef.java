package dev.autoplane.events.connection;

/** An automation's use of a connection: which one, at which of its versions. */
public record ConnectionRef(String connectionId, int version) {
}
