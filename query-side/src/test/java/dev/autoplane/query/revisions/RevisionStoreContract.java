package dev.autoplane.query.revisions;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationView.CreatedBy;
import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link RevisionStore} adapter must do; one subclass per real store. */
abstract class RevisionStoreContract {

    static final String A = "01900000-0000-7000-8000-0000000000a1";
    static final String B = "01900000-0000-7000-8000-0000000000b2";

    RevisionStore store;

    abstract RevisionStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    static RevisionView revision(String automation, String revision, String description) {
        AutomationDefinition d = new AutomationDefinition("n", description, "scheduled", Map.of("cron", "@daily"), null,
                null, null, null, List.of(), null, "default", null, Map.of());
        return new RevisionView(automation, "ws", revision, revision.endsWith(".0") ? "PUBLISHED" : "DRAFT", d,
                new CreatedBy("user", "alice"), Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void revisionsAreImmutable() {
        store.save(revision(A, "0.1", "first"));
        store.save(revision(A, "0.1", "overwritten?"));
        assertThat(store.find(A, "0.1").orElseThrow().definition().description()).isEqualTo("first");
    }

    @Test
    void listsNewestFirstComparingNumbers() {
        for (String r : List.of("0.1", "0.2", "1.0", "9.3", "10.0", "2.10", "2.9")) {
            store.save(revision(A, r, r));
        }
        store.save(revision(B, "0.1", "other"));
        assertThat(store.list(A)).extracting(RevisionView::revision)
                .containsExactly("10.0", "9.3", "2.10", "2.9", "1.0", "0.2", "0.1");
        assertThat(store.find(A, "2.10").orElseThrow().definition().description()).isEqualTo("2.10");
        assertThat(store.find(A, "3.0")).isEmpty();
    }

    @Test
    void deletesPerAutomationAndClears() {
        store.save(revision(A, "0.1", "a"));
        store.save(revision(B, "0.1", "b"));
        store.deleteAll(A);
        assertThat(store.list(A)).isEmpty();
        assertThat(store.list(B)).hasSize(1);
        store.clear();
        assertThat(store.list(B)).isEmpty();
    }
}
