package dev.autoplane.standalone.seeds.seed002;

import dev.autoplane.platform.web.problem.ApiProblem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 002's spellings and {@code /api/v1}'s: enum values ({@code AUTOMATION_STAGE_DRAFT} is {@code DRAFT},
 * {@code AUTOMATION_ACTIVATION_STATE_ACTIVE} is {@code active}), AIP-160 filters ({@code stage = "DRAFT"} is the CEL
 * {@code stage == "DRAFT"}) and the automation's field names.
 */
final class Seed002Names {

    private static final String STAGE = "AUTOMATION_STAGE_";
    private static final Pattern STAGE_FILTER = Pattern.compile("^\\s*stage\\s*==?\\s*\"([A-Z_]+)\"\\s*$");

    private Seed002Names() {
    }

    /** {@code AUTOMATION_STAGE_DRAFT} or {@code DRAFT} as {@code DRAFT} (null for absent or UNSPECIFIED); 400 otherwise. */
    static String stage(String field, Object value) {
        if (value == null) {
            return null;
        }
        String s = value instanceof String text ? text.startsWith(STAGE) ? text.substring(STAGE.length()) : text : "";
        return switch (s) {
            case "UNSPECIFIED" -> null;
            case "DRAFT", "PUBLISHED" -> s;
            default -> throw ApiProblem.invalid(field, "must be AUTOMATION_STAGE_DRAFT or AUTOMATION_STAGE_PUBLISHED");
        };
    }

    /**
     * An AIP-160 filter as the CEL the {@code /api/v1} lists take: a lone {@code =} outside string literals is
     * {@code ==} (CEL's {@code ==}, {@code !=}, {@code <=}, {@code >=} stay), and an {@code AUTOMATION_STAGE_}
     * prefix inside a literal goes.
     */
    static String cel(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == '\\' && i + 1 < filter.length()) {
                    out.append(filter.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                out.append(c);
                continue;
            }
            if (c == '=') {
                char before = i > 0 ? filter.charAt(i - 1) : ' ';
                char after = i + 1 < filter.length() ? filter.charAt(i + 1) : ' ';
                if (after == '=') { // "==": copy both
                    out.append("==");
                    i++;
                    continue;
                }
                if (before != '!' && before != '<' && before != '>') {
                    out.append("==");
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString().replace("\"" + STAGE, "\"").replace("'" + STAGE, "'");
    }

    /** The stage a {@code stage = "DRAFT"} filter names (the one filter {@code :extractCodeConnections} takes). */
    static String stageOfFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Matcher m = STAGE_FILTER.matcher(filter);
        if (!m.matches()) {
            throw ApiProblem.invalid("filter", "must be stage = \"DRAFT\" or stage = \"PUBLISHED\"");
        }
        return stage("filter", m.group(1));
    }

    /** {@code none}, {@code active}, {@code deactivated} as the seed's enum. */
    static String activationState(Object ours) {
        return switch (ours == null ? "" : ours.toString()) {
            case "active" -> "AUTOMATION_ACTIVATION_STATE_ACTIVE";
            case "deactivated" -> "AUTOMATION_ACTIVATION_STATE_DEACTIVATED";
            default -> "AUTOMATION_ACTIVATION_STATE_UNSPECIFIED";
        };
    }

    /** The {@code /api/v1} automation under seed 002's names (its own fields after them). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> automation(Map<String, Object> a, String org) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "organizations/" + org + "/workspaces/" + a.get("workspace_id") + "/automations/" + a.get("id"));
        m.put("display_name", a.get("name"));
        m.put("english_code", a.get("english_code"));
        m.put("code", a.get("code"));
        m.put("create_time", a.get("created_at"));
        m.put("version", a.get("revision"));
        m.put("update_time", a.get("updated_at"));
        m.put("update_user_id", a.get("update_user_id"));
        m.put("delete_time", a.get("delete_time"));
        m.put("purge_time", a.get("purge_time"));
        m.put("description", a.get("description"));
        m.put("latest_published_version", a.get("latest_published_version"));
        m.put("author_id", a.get("created_by") instanceof Map<?, ?> by ? by.get("id") : null);
        m.put("restore_time", a.get("restore_time"));
        m.put("restore_version", a.get("restore_version"));
        m.put("restore_user_id", a.get("restore_user_id"));
        m.put("publish_time", a.get("publish_time"));
        m.put("publish_user_id", a.get("publish_user_id"));
        m.put("activation_state", activationState(a.get("activation_state")));
        m.put("marked_outputs", a.get("marked_outputs"));
        Map<String, Object> rest = new LinkedHashMap<>(a);
        rest.keySet().removeAll(java.util.Set.of("name", "version", "activation_state", "description", "code",
                "english_code", "latest_published_version", "update_user_id", "delete_time", "purge_time",
                "restore_time", "restore_version", "restore_user_id", "publish_time", "publish_user_id", "marked_outputs"));
        rest.forEach(m::putIfAbsent);
        return m;
    }
}
