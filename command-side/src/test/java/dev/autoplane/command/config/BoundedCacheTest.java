package dev.autoplane.command.config;

import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate cache keeps what it is given (no garbage collector decides), bounded, and tells its listeners. */
class BoundedCacheTest {

    @Test
    void keepsEntriesUntilRemovedAndTellsListeners() {
        BoundedCache cache = new BoundedCache(100, Runnable::run);
        List<String> seen = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                seen.add("created " + key);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                seen.add("updated " + key);
            }

            @Override
            public void onEntryRemoved(Object key) {
                seen.add("removed " + key);
            }
        });
        cache.put("a", 1);
        cache.put("a", 2);
        assertThat(cache.putIfAbsent("a", 3)).isFalse();
        assertThat(cache.putIfAbsent("b", 4)).isTrue();
        System.gc(); // a weak-reference cache could lose both here; this one must not
        assertThat(cache.<String, Integer>get("a")).isEqualTo(2);
        assertThat(cache.<Integer>computeIfAbsent("b", () -> 9)).isEqualTo(4);
        cache.computeIfPresent("b", (Integer v) -> v + 1);
        assertThat(cache.<String, Integer>get("b")).isEqualTo(5);
        assertThat(cache.remove("a")).isTrue();
        assertThat(cache.remove("a")).isFalse();
        assertThat(cache.containsKey("a")).isFalse();
        cache.removeAll();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(seen).containsExactly("created a", "updated a", "created b", "removed a", "removed b");
    }

    @Test
    void holdsAtMostItsBoundAndReportsEvictions() {
        BoundedCache cache = new BoundedCache(10, Runnable::run);
        List<Object> evicted = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                evicted.add(key);
            }
        });
        for (int i = 0; i < 50; i++) {
            cache.put(i, "automation " + i);
        }
        long held = java.util.stream.IntStream.range(0, 50).filter(cache::containsKey).count();
        assertThat(held).as("full to its bound, not emptied").isEqualTo(10);
        assertThat(evicted).hasSize(50 - (int) held);
    }
}
