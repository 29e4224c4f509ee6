package dev.autoplane.query.automations;

import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.MisfirePolicy;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.AutomationView.CreatedBy;
import dev.autoplane.query.StoreFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link AutomationStore} adapter must do; one subclass per real store. */
abstract class AutomationStoreContract {

    static final String WS = "01900000-0000-7000-8000-000000000001";
    static final String OTHER_WS = "01900000-0000-7000-8000-000000000002";

    AutomationStore store;

    abstract AutomationStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    static String id(int n) {
        return String.format("01900000-0000-7000-8000-%012d", n);
    }

    static AutomationView view(String id, String ws, long version, Instant deleted) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("cron", "0 9 * * MON");
        config.put("nested", Map.of("list", List.of(1, "two", Map.of("three", true)), "empty", Map.of()));
        TriggerSpec trigger = new TriggerSpec("t1", "cron", Map.of("schedule", "0 9 * * 1-5", "timezone", "Europe/Berlin"),
                "push", "x > 1", "MAIN", new FireLimit(5, "1h"), new RetryPolicy("fixed", 3, "30s"), true);
        Instant t = Instant.parse("2026-03-01T10:00:00.123Z");
        return new AutomationView(id, ws, "org-1", "team-1", "name " + id, "description", "scheduled", config, "prompt",
                "code", "english", "agent", List.of("r1", "r2"), null, "delete_after_inactivity", 30, Map.of("k", "v"),
                List.of(trigger), new FireLimit(10, "1d"), new RetryPolicy("exponential", 2, "1m"), new MisfirePolicy(60, "skip"),
                "allow", "active", true, "active", version, "1.0", "1.0", List.of("automation.read"), List.of("team-1"),
                "github", "label", false, true, new CreatedBy("user", "alice"), null, "bob", t, null, null, null, null,
                t, t.plusSeconds(version), deleted, deleted == null ? null : deleted.plusSeconds(2_592_000));
    }

    @Test
    void savesAndFindsEveryField() {
        AutomationView v = view(id(1), WS, 3, null);
        store.save(v);
        assertThat(store.find(id(1))).contains(v);
        assertThat(store.find(id(2))).isEmpty();
    }

    @Test
    void ignoresOlderOrEqualVersionsSoReplaysChangeNothing() {
        store.save(view(id(1), WS, 5, null));
        AutomationView older = view(id(1), WS, 4, Instant.parse("2026-03-02T00:00:00Z"));
        store.save(older);
        AutomationView same = view(id(1), WS, 5, Instant.parse("2026-03-02T00:00:00Z"));
        store.save(same);
        assertThat(store.find(id(1)).orElseThrow().version()).isEqualTo(5);
        assertThat(store.find(id(1)).orElseThrow().deleteTime()).isNull();
        store.save(view(id(1), WS, 6, Instant.parse("2026-03-02T00:00:00Z")));
        assertThat(store.find(id(1)).orElseThrow().deleteTime()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    }

    @Test
    void pagesByIdWithinOneWorkspaceHidingDeletedOnes() {
        store.save(view(id(3), WS, 0, null));
        store.save(view(id(1), WS, 0, null));
        store.save(view(id(2), WS, 0, Instant.parse("2026-03-02T00:00:00Z")));
        store.save(view(id(4), OTHER_WS, 0, null));
        assertThat(store.page(WS, null, false, 10)).extracting(AutomationView::id).containsExactly(id(1), id(3));
        assertThat(store.page(WS, null, true, 10)).extracting(AutomationView::id).containsExactly(id(1), id(2), id(3));
        assertThat(store.page(WS, id(1), true, 1)).extracting(AutomationView::id).containsExactly(id(2));
        assertThat(store.page(OTHER_WS, null, false, 10)).extracting(AutomationView::id).containsExactly(id(4));
    }

    @Test
    void keysetPaginationSeesEachItemOnceWhileNewOnesArrive() {
        for (int i = 1; i <= 250; i++) {
            store.save(view(id(i * 2), WS, 0, null));
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int inserted = 1000;
        while (true) {
            List<AutomationView> page = store.page(WS, cursor, false, 50);
            if (page.isEmpty()) {
                break;
            }
            for (AutomationView v : page) {
                assertThat(seen.add(v.id())).as("seen once: " + v.id()).isTrue();
                order.add(v.id());
            }
            cursor = page.get(page.size() - 1).id();
            if (inserted < 1005) {
                store.save(view(id(inserted++), WS, 0, null));   // a concurrent writer adds newer items
            }
        }
        assertThat(order).isSorted();
        for (int i = 1; i <= 250; i++) {
            assertThat(seen).contains(id(i * 2));
        }
        assertThat(seen).hasSize(255);
    }

    @Test
    void deletesAndClears() {
        store.save(view(id(1), WS, 0, null));
        store.save(view(id(2), WS, 0, null));
        store.delete(id(1));
        assertThat(store.find(id(1))).isEmpty();
        store.clear();
        assertThat(store.page(WS, null, true, 10)).isEmpty();
    }
}
