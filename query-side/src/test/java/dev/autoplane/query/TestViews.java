package dev.autoplane.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.MisfirePolicy;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.AutomationView.CreatedBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Views as the product holds them. Free-form maps are parsed from JSON with the product's mapper,
 * so their numbers have the types every store hands back (Integer, Long, Double, BigInteger), just
 * like views folded from deserialized events.
 */
public final class TestViews {

    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    /** Every JSON shape a free-form config can hold: nested maps and lists, numbers, booleans, nulls, odd text. */
    public static final String RICH_CONFIG = """
            {"cron": "0 9 * * MON",
             "channel": "général 🚀 \\"quoted\\" back\\\\slash\\nnew line \\u0000 nul \\u001f",
             "payload": {"n": 7, "big": 5000000000, "ratio": 0.25, "neg": -3, "whole": 2.0, "tiny": 1.0E-300,
                         "flag": false, "nothing": null, "text": "",
                         "list": [1, "two", {"three": true}, [], {}, null, [[1, [2]]]],
                         "deep": {"a": {"b": {"c": [1.5, 2.5]}}}},
             "empty": {}}
            """;

    private TestViews() {
    }

    public static Map<String, Object> json(String json) {
        try {
            return StoreFixtures.mapper().readValue(json, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A view with every field set (no nulls, booleans true, Instants with nanoseconds). */
    public static AutomationView rich(String id, String ws, long version, Instant deleteTime) {
        Map<String, Object> config = json(RICH_CONFIG);
        TriggerSpec cron = new TriggerSpec("t1", "cron", json("{\"schedule\": \"0 9 * * 1-5\", \"timezone\": \"Europe/Berlin\"}"),
                "push", "x > 1", "MAIN", new FireLimit(5, "1h"), new RetryPolicy("fixed", 3, "30s"), true);
        TriggerSpec webhook = new TriggerSpec("t2", "webhook", Map.of(), null, null, null, null, null, false);
        return new AutomationView(id, ws, "org-1", "team-1", "name " + id, "description ✓", "scheduled", config,
                "prompt", "print('hi')", "say hi", "agent", List.of("r1", "r2"), "set-1", "delete_after_inactivity",
                30, json("{\"k\": \"v\", \"n\": 1, \"l\": [true, 2.5]}"), List.of(cron, webhook), new FireLimit(10, "1d"),
                new RetryPolicy("exponential", 2, "1m"), new MisfirePolicy(60, "skip"), "allow", "active", true,
                "active", version, "2.3", "2.0", List.of("automation.read", "automation.run"), List.of("team-1", "team-2"),
                "github", "label", true, true, new AutomationView.Delivery("https://executor.example.com/runs", true), new CreatedBy("service_account", id), id, "bob", T0.plusSeconds(1),
                "too vague", T0.plusSeconds(2), "boom: \"quoted\"", T0.plusSeconds(3), T0, T0.plusSeconds(version),
                deleteTime, deleteTime == null ? Instant.parse("9999-12-31T23:59:59.999999999Z") : deleteTime.plusSeconds(2_592_000));
    }

    /** A view with every optional field null and every collection empty. */
    public static AutomationView sparse(String id, String ws, long version) {
        return new AutomationView(id, ws, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, false, null, version, null, null, null, null,
                null, null, false, false, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static AutomationDefinition definition(String name, String configJson) {
        return new AutomationDefinition(name, "what it does ✓", "scheduled", json(configJson), "prompt", "code",
                "english", "agent", List.of("r1"), "set-1", "delete_after_inactivity", 15, json("{\"k\": [1, \"v\"]}"));
    }
}
