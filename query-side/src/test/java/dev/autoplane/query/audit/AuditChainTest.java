package dev.autoplane.query.audit;

import dev.autoplane.query.audit.AuditChain.StoredEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A chain link changes with every stored field of the event and with the link before it. */
class AuditChainTest {

    static StoredEvent event(long index, String id, String aggregate, long seq, String payload, String metadata) {
        return new StoredEvent(index, id, aggregate, seq, "Automation", "dev.autoplane.X", "1", "2026-12-07T08:00:00Z",
                payload.getBytes(StandardCharsets.UTF_8), metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void canRecomputeALinkExactly() {
        StoredEvent e = event(7, "e1", "a1", 0, "{\"name\":\"x\"}", "{}");
        assertThat(AuditChain.link(AuditChain.GENESIS, e)).isEqualTo(AuditChain.link(AuditChain.GENESIS, e))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void cannotChangeAnyFieldOrThePreviousLinkWithoutChangingTheLink() {
        StoredEvent e = event(7, "e1", "a1", 0, "{\"name\":\"x\"}", "{}");
        String link = AuditChain.link(AuditChain.GENESIS, e);
        List<StoredEvent> variants = List.of(
                event(8, "e1", "a1", 0, "{\"name\":\"x\"}", "{}"),
                event(7, "e2", "a1", 0, "{\"name\":\"x\"}", "{}"),
                event(7, "e1", "a2", 0, "{\"name\":\"x\"}", "{}"),
                event(7, "e1", "a1", 1, "{\"name\":\"x\"}", "{}"),
                event(7, "e1", "a1", 0, "{\"name\":\"X\"}", "{}"),
                event(7, "e1", "a1", 0, "{\"name\":\"x\"}", "{\"actor_id\":\"mallory\"}"),
                event(7, "e1", "a1", 0, "{\"name\":\"x\"}", null),
                new StoredEvent(7, "e1", "a1", 0, "Automation", "dev.autoplane.X", "2", "2026-12-07T08:00:00Z",
                        e.payload(), e.metadata()),
                new StoredEvent(7, "e1", "a1", 0, "Automation", "dev.autoplane.X", "1", "2026-12-07T08:00:01Z",
                        e.payload(), e.metadata()));
        for (StoredEvent v : variants) {
            assertThat(AuditChain.link(AuditChain.GENESIS, v)).as("%s", v).isNotEqualTo(link);
        }
        assertThat(AuditChain.link("1".repeat(64), e)).isNotEqualTo(link);
    }

    @Test
    void cannotMoveBytesBetweenFieldsWithoutChangingTheLink() {
        // length prefixes: "ab" + "c" is not "a" + "bc"
        StoredEvent one = new StoredEvent(1, "ab", "c", 0, null, "t", null, "ts", new byte[0], null);
        StoredEvent two = new StoredEvent(1, "a", "bc", 0, null, "t", null, "ts", new byte[0], null);
        assertThat(AuditChain.link(AuditChain.GENESIS, one)).isNotEqualTo(AuditChain.link(AuditChain.GENESIS, two));
    }
}
