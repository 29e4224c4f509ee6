package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationDefinition;

import java.util.Map;
import java.util.Set;

/**
 * The config schema of each automation kind (documented in docs/automation-kinds.md). Every kind
 * also accepts {@code proposal_note} (a reviewer's note) and {@code payload} (an object handed to
 * runs as is); any other key is refused so that typos surface at once.
 */
final class KindSchemas {

    private static final Set<String> COMMON = Set.of("proposal_note", "payload");

    private KindSchemas() {
    }

    static void check(FieldReader r, AutomationDefinition d) {
        Map<String, Object> c = d.config() == null ? Map.of() : d.config();
        switch (d.kind()) {
            case "scheduled" -> {
                allow(r, c, "cron", "channel");
                if (c.get("cron") != null) {
                    String cron = r.string("config.cron", c.get("cron"), 200, false);
                    String problem = cron == null ? null : AutomationFields.cronProblem(cron);
                    if (problem != null) {
                        r.fail("config.cron", problem);
                    }
                }
                r.string("config.channel", c.get("channel"), 200, false);
            }
            case "webhook" -> {
                allow(r, c, "event", "filter");
                r.string("config.event", c.get("event"), 200, false);
                r.string("config.filter", c.get("filter"), 2_000, false);
            }
            case "social_post" -> {
                allow(r, c, "platform", "message", "media_urls");
                require(r, c, "platform");
                require(r, c, "message");
                r.string("config.platform", c.get("platform"), 100, false);
                r.string("config.message", c.get("message"), 10_000, false);
                r.strings("config.media_urls", c.get("media_urls"), 10, 2_000);
            }
            case "reverse_tunnel" -> {
                allow(r, c, "target_host", "target_port", "protocol");
                require(r, c, "target_host");
                require(r, c, "target_port");
                r.string("config.target_host", c.get("target_host"), 253, false);
                r.integer("config.target_port", c.get("target_port"), 1, 65_535);
                if (c.get("protocol") != null) {
                    r.oneOf("config.protocol", c.get("protocol"), Set.of("http", "tcp"));
                }
            }
            case "agent_prompt" -> {
                allow(r, c, "model", "max_turns");
                if (d.prompt() == null || d.prompt().isBlank()) {
                    r.fail("prompt", "is required for kind agent_prompt");
                }
                r.string("config.model", c.get("model"), 200, false);
                r.integer("config.max_turns", c.get("max_turns"), 1, 1_000);
            }
            case "code" -> {
                allow(r, c, "runtime", "timeout_seconds");
                if ((d.code() == null || d.code().isBlank()) && (d.englishCode() == null || d.englishCode().isBlank())) {
                    r.fail("code", "code or english_code is required for kind code");
                }
                if (c.get("runtime") != null) {
                    r.oneOf("config.runtime", c.get("runtime"), Set.of("python", "javascript", "bash"));
                }
                r.integer("config.timeout_seconds", c.get("timeout_seconds"), 1, 86_400);
            }
            default -> r.fail("kind", "unknown kind");
        }
        if (c.containsKey("payload") && c.get("payload") != null && !(c.get("payload") instanceof Map)) {
            r.fail("config.payload", "must be an object");
        }
        r.string("config.proposal_note", c.get("proposal_note"), 10_000, true);
    }

    private static void allow(FieldReader r, Map<String, Object> c, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String key : c.keySet()) {
            if (!allowed.contains(key) && !COMMON.contains(key)) {
                r.fail("config." + key, "is not part of this kind's config (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ", proposal_note, payload)");
            }
        }
    }

    private static void require(FieldReader r, Map<String, Object> c, String key) {
        if (c.get(key) == null) {
            r.fail("config." + key, "is required for this kind");
        }
    }
}
