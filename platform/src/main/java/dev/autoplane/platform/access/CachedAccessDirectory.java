package dev.autoplane.platform.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The access read model with the lookups every request makes (token by hash, membership, automation
 * credential, agent by name) kept in memory, so an authenticated request costs no query. Invalidated by
 * event: the {@link AccessProjection} calls {@link #changed} for what an event changes, after its batch
 * has committed (a lookup then reads the committed row). A lookup that ran while any change was being
 * invalidated is not kept (it may have read the row before that commit): each kept entry was read after
 * the last invalidation began, so no entry outlives a change it did not see.
 *
 * <p>Only what exists is kept (an unknown token costs a query each time, as before), bounded by
 * {@code maxEntries} per kind. Used where this node runs the access projection for every change, the
 * embedded mode ({@code autoplane.access.cache}, README "Configuration"): with several nodes on one
 * database, the node that projects a revocation could not tell the others.
 */
public class CachedAccessDirectory implements AccessDirectory {

    /** What an access event changed. */
    public enum Kind { TOKEN, MEMBER, AUTOMATION, AGENT }

    private final AccessDirectory rows;
    private final AtomicLong invalidations = new AtomicLong();
    private final Cache<String, TokenRecord> tokens;
    private final Cache<List<String>, Membership> members;
    private final Cache<String, AutomationCredential> automations;
    private final Cache<List<String>, AgentRecord> agents;

    public CachedAccessDirectory(AccessDirectory rows, long maxEntries) {
        this.rows = rows;
        this.tokens = Caffeine.newBuilder().maximumSize(maxEntries).build();
        this.members = Caffeine.newBuilder().maximumSize(maxEntries).build();
        this.automations = Caffeine.newBuilder().maximumSize(maxEntries).build();
        this.agents = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /**
     * Forgets what an event changed ({@code key}: token hash or id, {@code [workspace, user]}, automation id,
     * {@code [workspace, agent name key]}; {@code null}: every entry of that kind). Call after the change committed.
     */
    public void changed(Kind kind, Object key) {
        invalidations.incrementAndGet();
        Cache<?, ?> cache = switch (kind) {
            case TOKEN -> tokens;
            case MEMBER -> members;
            case AUTOMATION -> automations;
            case AGENT -> agents;
        };
        if (key == null || kind == Kind.TOKEN || kind == Kind.AGENT) {
            cache.invalidateAll(); // tokens are cached by hash and revoked by id; agents by name and changed by id
        } else {
            invalidate(cache, key);
        }
    }

    @SuppressWarnings("unchecked")
    private static <K> void invalidate(Cache<K, ?> cache, Object key) {
        cache.invalidate((K) key);
    }

    private <K, V> Optional<V> cached(Cache<K, V> cache, K key, Supplier<Optional<V>> lookup) {
        V hit = cache.getIfPresent(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        long before = invalidations.get();
        Optional<V> found = lookup.get();
        if (found.isPresent()) {
            cache.put(key, found.get());
            if (invalidations.get() != before) {
                cache.asMap().remove(key, found.get()); // an invalidation ran meanwhile: this read may predate it
            }
        }
        return found;
    }

    @Override
    public Optional<TokenRecord> tokenByHash(String tokenHash) {
        return cached(tokens, tokenHash, () -> rows.tokenByHash(tokenHash));
    }

    @Override
    public Optional<Membership> membership(String workspaceId, String userId) {
        return cached(members, List.of(workspaceId, userId), () -> rows.membership(workspaceId, userId));
    }

    @Override
    public Optional<AutomationCredential> automation(String automationId) {
        return cached(automations, automationId, () -> rows.automation(automationId));
    }

    @Override
    public Optional<AgentRecord> agentByName(String workspaceId, String name) {
        return cached(agents, List.of(workspaceId, AccessProjection.nameKey(name)), () -> rows.agentByName(workspaceId, name));
    }

    // --- the rest is read where it is needed, not on every request

    @Override
    public Optional<AgentRecord> agent(String agentId) {
        return rows.agent(agentId);
    }

    @Override
    public List<AgentRecord> agents(String workspaceId, String afterId, int limit) {
        return rows.agents(workspaceId, afterId, limit);
    }

    @Override
    public Optional<TokenRecord> token(String tokenId) {
        return rows.token(tokenId);
    }

    @Override
    public List<TokenRecord> tokensOf(String userId) {
        return rows.tokensOf(userId);
    }

    @Override
    public Optional<UserRecord> user(String userId) {
        return rows.user(userId);
    }

    @Override
    public List<Membership> members(String workspaceId) {
        return rows.members(workspaceId);
    }

    @Override
    public Optional<WorkspaceRecord> workspace(String workspaceId) {
        return rows.workspace(workspaceId);
    }

    @Override
    public List<WorkspaceRecord> workspacesOf(String userId) {
        return rows.workspacesOf(userId);
    }

    @Override
    public List<TeamRecord> teams(String workspaceId) {
        return rows.teams(workspaceId);
    }
}
