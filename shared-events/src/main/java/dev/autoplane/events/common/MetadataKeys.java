package dev.autoplane.events.common;

/**
 * Keys of the metadata every command carries and every event inherits (Axon copies command
 * metadata onto the events it produces through the correlation data providers).
 */
public final class MetadataKeys {
    public static final String ACTOR_KIND = "actor_kind";
    public static final String ACTOR_ID = "actor_id";
    public static final String TOKEN_ID = "token_id";
    public static final String REQUEST_ID = "request_id";
    public static final String CORRELATION_ID = "correlation_id";
    public static final String CLIENT_ADDRESS = "client_address";
    public static final String USER_AGENT = "user_agent";
    public static final String REASON = "reason";
    public static final String WORKSPACE_ID = "workspace_id";
    /** The visible agent a service-account request acted as ({@code X-Agent-Name}). */
    public static final String AGENT_NAME = "agent_name";

    /** Every key above, in the order the history shows them. */
    public static final java.util.List<String> ALL = java.util.List.of(
            ACTOR_KIND, ACTOR_ID, TOKEN_ID, REQUEST_ID, CORRELATION_ID, CLIENT_ADDRESS, USER_AGENT, REASON, WORKSPACE_ID, AGENT_NAME);

    private MetadataKeys() {
    }
}
