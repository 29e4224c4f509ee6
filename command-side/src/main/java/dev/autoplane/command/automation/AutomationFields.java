package dev.autoplane.command.automation;

import dev.autoplane.platform.scheduling.CronSchedule;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.events.automation.AutomationSettings.MisfirePolicy;
import dev.autoplane.events.automation.AutomationSettings.RetryPolicy;
import dev.autoplane.events.automation.AutomationSettings.TriggerSpec;
import dev.autoplane.events.automation.AutomationStatus;
import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.identity.Permission;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows an automation's fields: which exist, which are versioned (definition)
 * and which are not (settings), their types, limits and cross-field rules, and each kind's config
 * schema (documented in docs/automation-kinds.md). Used for create (over empty defaults) and
 * for PATCH (over the current state), so both obey the same rules.
 */
final class AutomationFields {

    static final Set<String> KINDS = Set.of("scheduled", "webhook", "social_post", "reverse_tunnel", "agent_prompt", "code");
    static final Set<String> DEFINITION = Set.of("name", "description", "kind", "config", "prompt", "code",
            "english_code", "agent_name", "repository_ids", "repository_set_id", "workspace_lifecycle_policy",
            "workspace_auto_stop_minutes", "default_inputs", "marked_outputs");
    static final Set<String> SETTINGS = Set.of("team_id", "triggers", "fire_limit", "retry", "misfire",
            "overlap_policy", "scopes", "team_scope", "provider_type", "credential_label", "suspended", "enabled");
    static final Set<String> CREATE_ONLY = Set.of("organization_id");
    static final Set<String> CONTROL = Set.of("status", "rejection_reason");

    static final Set<String> LIFECYCLE_POLICIES = Set.of("default", "delete_when_done", "delete_after_inactivity");
    static final Set<String> TRIGGER_TYPES = Set.of("cron", "interval", "at", "webhook", "api");
    static final Set<String> PHASES = Set.of("PRE", "MAIN", "POST");
    static final Set<String> OVERLAP = Set.of("allow", "skip", "buffer_one", "cancel_other");
    static final Set<String> CATCH_UP = Set.of("skip", "fire_once", "fire_all");
    static final Set<String> RETRY = Set.of("none", "fixed", "exponential");
    static final int MAX_TRIGGERS = 20;
    /** The largest {@code fire_limit.max}: the automation keeps that many recent fire instants. */
    static final int MAX_FIRE_LIMIT = 10_000;

    private static final Set<String> CRON_MACROS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");

    static final AutomationDefinition EMPTY_DEFINITION = new AutomationDefinition(null, null, null, Map.of(), null,
            null, null, null, List.of(), null, "default", null, Map.of());
    static final AutomationSettings DEFAULT_SETTINGS = new AutomationSettings(null, List.of(), null, null,
            new MisfirePolicy(60, "skip"), "allow", List.of(), List.of(), null, null, false, true);

    record Bound(AutomationDefinition definition, AutomationSettings settings, AutomationStatus requestedStatus,
                 String rejectionReason, String organizationId) {
    }

    private AutomationFields() {
    }

    /**
     * Applies {@code fields} over {@code definition} and {@code settings}.
     *
     * @throws DomainException (INVALID) with every violation found
     */
    static Bound bind(AutomationDefinition definition, AutomationSettings settings, Map<String, Object> fields,
                      boolean create) {
        FieldReader r = new FieldReader();
        Map<String, Object> f = fields == null ? Map.of() : fields;
        for (String key : f.keySet()) {
            boolean known = DEFINITION.contains(key) || SETTINGS.contains(key) || CONTROL.contains(key)
                    || (create && CREATE_ONLY.contains(key));
            if (!known) {
                r.fail(key, CREATE_ONLY.contains(key) ? "can only be set on create" : "unknown field");
            }
        }
        AutomationDefinition d = definition;
        if (f.containsKey("name")) {
            String name = TextRules.NAME.required("name", f.get("name"), r.violations);
            if (name != null) {
                d = with(d, "name", name);
            }
        } else if (create) {
            r.fail("name", "is required");
        }
        if (f.containsKey("description")) {
            d = with(d, "description", r.string("description", f.get("description"), 10_000, true));
        }
        if (f.containsKey("kind") || create) {
            Object kind = f.get("kind");
            if (kind == null) {
                r.fail("kind", "is required (one of " + String.join(", ", new java.util.TreeSet<>(KINDS)) + ")");
            } else {
                d = with(d, "kind", r.oneOf("kind", kind, KINDS));
            }
        }
        if (f.containsKey("config")) {
            Map<String, Object> config = f.get("config") == null ? Map.of() : r.freeForm("config", f.get("config"));
            d = with(d, "config", config == null ? Map.of() : config);
        }
        if (f.containsKey("prompt")) {
            d = with(d, "prompt", r.string("prompt", f.get("prompt"), 100_000, true));
        }
        if (f.containsKey("code")) {
            d = with(d, "code", r.string("code", f.get("code"), 500_000, true));
        }
        if (f.containsKey("english_code")) {
            d = with(d, "english_code", r.string("english_code", f.get("english_code"), 100_000, true));
        }
        if (f.containsKey("agent_name")) {
            d = with(d, "agent_name", r.line("agent_name", f.get("agent_name"), 200));
        }
        if (f.containsKey("repository_ids")) {
            List<String> ids = r.strings("repository_ids", f.get("repository_ids"), 100, 200);
            d = with(d, "repository_ids", ids == null ? List.of() : ids);
        }
        if (f.containsKey("repository_set_id")) {
            d = with(d, "repository_set_id", r.line("repository_set_id", f.get("repository_set_id"), 200));
        }
        if (f.containsKey("workspace_lifecycle_policy")) {
            Object v = f.get("workspace_lifecycle_policy");
            d = with(d, "workspace_lifecycle_policy", v == null ? "default" : r.oneOf("workspace_lifecycle_policy", v, LIFECYCLE_POLICIES));
        }
        if (f.containsKey("workspace_auto_stop_minutes")) {
            d = with(d, "workspace_auto_stop_minutes", r.integer("workspace_auto_stop_minutes", f.get("workspace_auto_stop_minutes"), 3, 1440));
        }
        if (f.containsKey("default_inputs")) {
            Map<String, Object> inputs = f.get("default_inputs") == null ? Map.of() : r.freeForm("default_inputs", f.get("default_inputs"));
            d = with(d, "default_inputs", inputs == null ? Map.of() : inputs);
        }
        if (f.containsKey("marked_outputs")) { // output keys the user marked (seed 002); empty: none
            List<String> outputs = r.strings("marked_outputs", f.get("marked_outputs"), 100, 200);
            d = with(d, "marked_outputs", outputs == null || outputs.isEmpty() ? null : List.copyOf(outputs));
        }

        AutomationSettings s = bindSettings(r, settings, f);

        AutomationStatus status = null;
        if (f.containsKey("status")) {
            String wire = r.oneOf("status", f.get("status"), Set.of("draft", "pending_approval", "active", "paused", "rejected"));
            status = wire == null ? null : AutomationStatus.fromWire(wire).orElseThrow();
        }
        String rejectionReason = f.containsKey("rejection_reason")
                ? r.text("rejection_reason", f.get("rejection_reason"), TextRules.REASON) : null;
        String organizationId = create ? r.text("organization_id", f.get("organization_id"), TextRules.REFERENCE) : null;

        if (r.ok()) {
            crossFieldRules(r, d, s);
        }
        if (!r.ok()) {
            throw DomainException.invalid(r.violations);
        }
        return new Bound(d, s, status, rejectionReason, organizationId);
    }

    private static AutomationSettings bindSettings(FieldReader r, AutomationSettings s, Map<String, Object> f) {
        String teamId = s.teamId();
        if (f.containsKey("team_id")) {
            teamId = r.line("team_id", f.get("team_id"), 64);
        }
        List<TriggerSpec> triggers = s.triggers();
        if (f.containsKey("triggers")) {
            triggers = triggers(r, f.get("triggers"));
        }
        FireLimit fireLimit = f.containsKey("fire_limit") ? fireLimit(r, "fire_limit", f.get("fire_limit")) : s.fireLimit();
        RetryPolicy retry = f.containsKey("retry") ? retry(r, "retry", f.get("retry")) : s.retry();
        MisfirePolicy misfire = s.misfire();
        if (f.containsKey("misfire")) {
            Map<String, Object> m = r.object("misfire", f.get("misfire"));
            if (m == null) {
                misfire = DEFAULT_SETTINGS.misfire();
            } else {
                only(r, "misfire", m, Set.of("grace_seconds", "catch_up_policy"));
                Integer grace = r.integer("misfire.grace_seconds", m.get("grace_seconds"), 0, 86_400);
                String policy = m.get("catch_up_policy") == null ? "skip" : r.oneOf("misfire.catch_up_policy", m.get("catch_up_policy"), CATCH_UP);
                misfire = new MisfirePolicy(grace == null ? 60 : grace, policy == null ? "skip" : policy);
            }
        }
        String overlap = s.overlapPolicy();
        if (f.containsKey("overlap_policy")) {
            overlap = f.get("overlap_policy") == null ? "allow" : r.oneOf("overlap_policy", f.get("overlap_policy"), OVERLAP);
        }
        List<String> scopes = s.scopes();
        if (f.containsKey("scopes")) {
            List<String> raw = r.strings("scopes", f.get("scopes"), 20, 64);
            scopes = new ArrayList<>();
            if (raw != null) {
                for (int i = 0; i < raw.size(); i++) {
                    var p = Permission.fromWire(raw.get(i));
                    if (p.isEmpty()) {
                        r.fail("scopes[" + i + "]", "is not a permission (automation.read, automation.write, automation.approve,"
                                + " automation.manage, run.read, run.write, audit.read, workspace.admin)");
                    } else if (!scopes.contains(p.get().wire())) {
                        scopes.add(p.get().wire());
                    }
                }
            }
        }
        List<String> teamScope = s.teamScope();
        if (f.containsKey("team_scope")) {
            List<String> raw = r.strings("team_scope", f.get("team_scope"), 100, 64);
            teamScope = raw == null ? List.of() : raw;
        }
        String providerType = f.containsKey("provider_type") ? r.line("provider_type", f.get("provider_type"), 100) : s.providerType();
        String credentialLabel = f.containsKey("credential_label") ? r.line("credential_label", f.get("credential_label"), 200) : s.credentialLabel();
        boolean suspended = s.suspended();
        if (f.containsKey("suspended")) {
            Boolean b = r.bool("suspended", f.get("suspended"));
            if (f.get("suspended") == null) {
                r.fail("suspended", "must be true or false");
            }
            suspended = b != null ? b : suspended;
        }
        boolean enabled = s.enabled();
        if (f.containsKey("enabled")) {
            Boolean b = r.bool("enabled", f.get("enabled"));
            if (f.get("enabled") == null) {
                r.fail("enabled", "must be true or false");
            }
            enabled = b != null ? b : enabled;
        }
        return new AutomationSettings(teamId, triggers, fireLimit, retry, misfire, overlap, List.copyOf(scopes),
                List.copyOf(teamScope), providerType, credentialLabel, suspended, enabled);
    }

    private static List<TriggerSpec> triggers(FieldReader r, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            r.fail("triggers", "must be an array");
            return List.of();
        }
        if (list.size() > MAX_TRIGGERS) {
            r.fail("triggers", "must have at most " + MAX_TRIGGERS + " items");
            return List.of();
        }
        List<TriggerSpec> out = new ArrayList<>();
        int crons = 0;
        for (int i = 0; i < list.size(); i++) {
            String at = "triggers[" + i + "]";
            Map<String, Object> t = r.object(at, list.get(i));
            if (t == null) {
                if (list.get(i) == null) {
                    r.fail(at, "must be an object");
                }
                continue;
            }
            only(r, at, t, Set.of("id", "type", "config", "event", "filter", "phase_type", "fire_limit", "retry", "enabled"));
            String id = r.line(at + ".id", t.get("id"), 64);
            String type = t.get("type") == null ? null : r.oneOf(at + ".type", t.get("type"), TRIGGER_TYPES);
            if (t.get("type") == null) {
                r.fail(at + ".type", "is required (cron, interval, at, webhook or api)");
            }
            Map<String, Object> config = t.get("config") == null ? Map.of() : r.freeForm(at + ".config", t.get("config"));
            if (type != null && config != null) {
                config = triggerConfig(r, at + ".config", type, config);
            }
            if ("cron".equals(type) && ++crons == 2) {
                r.fail(at + ".type", "at most one cron trigger is allowed per automation");
            }
            String event = r.line(at + ".event", t.get("event"), 200);
            String filter = r.string(at + ".filter", t.get("filter"), 2_000, false);
            if ("webhook".equals(type) && filter != null && !filter.isBlank()) { // a CEL expression over the delivery
                String problem = dev.autoplane.command.webhook.WebhookCel.problem(filter);
                if (problem != null) {
                    r.fail(at + ".filter", problem);
                }
            }
            String phase = t.get("phase_type") == null ? "MAIN" : r.oneOf(at + ".phase_type", t.get("phase_type"), PHASES);
            FireLimit fl = fireLimit(r, at + ".fire_limit", t.get("fire_limit"));
            RetryPolicy rp = retry(r, at + ".retry", t.get("retry"));
            Boolean enabled = r.bool(at + ".enabled", t.get("enabled"));
            out.add(new TriggerSpec(id, type, config == null ? Map.of() : config, event, filter, phase, fl, rp,
                    enabled == null || enabled));
        }
        return List.copyOf(out);
    }

    /**
     * Validates the automation's triggers with one of them ({@code index}) new or changed, as for
     * {@code POST/PATCH .../triggers}: field errors name that trigger's fields without a prefix.
     */
    static List<TriggerSpec> bindTriggers(List<Map<String, Object>> triggers, int index) {
        FieldReader r = new FieldReader();
        List<TriggerSpec> out = triggers(r, new ArrayList<>(triggers));
        if (!r.ok()) {
            String prefix = "triggers[" + index + "]";
            throw DomainException.invalid(r.violations.stream().map(v -> {
                String field = v.field();
                if (field.equals(prefix)) {
                    field = "trigger";
                } else if (field.startsWith(prefix + ".")) {
                    field = field.substring(prefix.length() + 1);
                } else if (field.equals("triggers")) {
                    field = "triggers";
                }
                return new DomainException.FieldViolation(field, v.message());
            }).toList());
        }
        return out;
    }

    /** {@code POST .../triggers}: the triggers with {@code trigger} (the client's object) added under {@code triggerId}. */
    static List<TriggerSpec> withTriggerAdded(List<TriggerSpec> triggers, String triggerId, Map<String, Object> trigger) {
        List<Map<String, Object>> all = new ArrayList<>(triggers.stream().map(AutomationFields::triggerFields).toList());
        Map<String, Object> added = new LinkedHashMap<>(trigger == null ? Map.of() : trigger);
        if (added.containsKey("id")) {
            throw AutomationErrors.triggerIdAssigned();
        }
        added.put("id", triggerId);
        all.add(added);
        return bindTriggers(all, all.size() - 1);
    }

    /** {@code PATCH .../triggers/{tid}}: the triggers with the given fields of the one at {@code index} changed. */
    static List<TriggerSpec> withTriggerChanged(List<TriggerSpec> triggers, int index, Map<String, Object> changes) {
        Map<String, Object> given = changes == null ? Map.of() : changes;
        if (given.containsKey("id") && !triggers.get(index).id().equals(given.get("id"))) {
            throw AutomationErrors.triggerIdFixed();
        }
        List<Map<String, Object>> all = new ArrayList<>(triggers.stream().map(AutomationFields::triggerFields).toList());
        Map<String, Object> changed = new LinkedHashMap<>(all.get(index));
        changed.putAll(given);
        all.set(index, changed);
        return bindTriggers(all, index);
    }

    /** A trigger as the JSON object it came from. */
    static Map<String, Object> triggerFields(TriggerSpec t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.type());
        m.put("config", t.config() == null ? Map.of() : t.config());
        if (t.event() != null) {
            m.put("event", t.event());
        }
        if (t.filter() != null) {
            m.put("filter", t.filter());
        }
        m.put("phase_type", t.phaseType());
        if (t.fireLimit() != null) {
            m.put("fire_limit", Map.of("max", t.fireLimit().max(), "window", t.fireLimit().window()));
        }
        if (t.retry() != null) {
            Map<String, Object> retry = new LinkedHashMap<>();
            retry.put("strategy", t.retry().strategy());
            retry.put("max_retries", t.retry().maxRetries());
            if (t.retry().baseDelay() != null) {
                retry.put("base_delay", t.retry().baseDelay());
            }
            m.put("retry", retry);
        }
        m.put("enabled", t.enabled());
        return m;
    }

    private static Map<String, Object> triggerConfig(FieldReader r, String at, String type, Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>(config);
        switch (type) {
            case "cron" -> {
                only(r, at, config, Set.of("schedule", "timezone"));
                String schedule = r.line(at + ".schedule", config.get("schedule"), 200);
                if (config.get("schedule") == null) {
                    r.fail(at + ".schedule", "is required (5-field cron such as 0 9 * * 1-5, or @hourly)");
                } else if (schedule != null) {
                    String problem = cronProblem(schedule);
                    if (problem != null) {
                        r.fail(at + ".schedule", problem);
                    }
                }
                Object tz = config.get("timezone");
                if (tz == null) {
                    out.put("timezone", "UTC");
                } else {
                    String zone = r.line(at + ".timezone", tz, 64);
                    if (zone != null && !isZone(zone)) {
                        r.fail(at + ".timezone", "'" + zone + "' is not an IANA time zone (for example Europe/Berlin or UTC)");
                    }
                }
            }
            case "interval" -> {
                only(r, at, config, Set.of("every", "start_time"));
                if (config.get("every") == null) {
                    r.fail(at + ".every", "is required (for example PT15M or 15m)");
                } else {
                    r.duration(at + ".every", config.get("every"));
                }
                if (config.get("start_time") != null) {
                    r.timestamp(at + ".start_time", config.get("start_time"));
                }
            }
            case "at" -> {
                only(r, at, config, Set.of("at"));
                if (config.get("at") == null) {
                    r.fail(at + ".at", "is required (an RFC 3339 timestamp)");
                } else {
                    r.timestamp(at + ".at", config.get("at"));
                }
            }
            case "webhook" -> {
                only(r, at, config, Set.of("endpoint", "filter", "scope"));
                Object match = config.get("filter");
                if (match != null) { // the seed's dotted paths, stored nested: {"env": {"name": "prod"}}; leaves are strings
                    Map<String, Object> m = r.object(at + ".filter", match);
                    if (m != null && filterLeaves(r, at + ".filter", m) > 20) {
                        r.fail(at + ".filter", "must have at most 20 entries");
                    }
                }
                Object scope = config.get("scope");
                if (scope != null && !"workspace".equals(scope) && !"global".equals(scope)) {
                    r.fail(at + ".scope", "must be workspace or global");
                }
                Object endpoint = config.get("endpoint");
                if (endpoint != null) {
                    String e = r.line(at + ".endpoint", endpoint, 64);
                    if (e != null && !e.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                        r.fail(at + ".endpoint", "must be lower-case letters, digits, _ and - (at most 64)");
                    }
                }
            }
            default -> only(r, at, config, Set.of());
        }
        return out;
    }

    /** Checks that every leaf of a webhook filter is a string (at most 500 characters); answers how many there are. */
    @SuppressWarnings("unchecked")
    private static int filterLeaves(FieldReader r, String at, Map<String, Object> filter) {
        int leaves = 0;
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested) {
                leaves += filterLeaves(r, at + "." + e.getKey(), (Map<String, Object>) nested);
            } else if (e.getValue() instanceof String text && text.length() <= 500) {
                leaves++;
            } else {
                r.fail(at + "." + e.getKey(), "must be a string (at most 500 characters) or an object of them");
            }
        }
        return leaves;
    }

    /** Why a 5-field cron expression (or macro) is unacceptable, or {@code null}. */
    static String cronProblem(String expression) {
        String trimmed = expression.trim();
        if (trimmed.startsWith("@") && !CRON_MACROS.contains(trimmed.toLowerCase(Locale.ROOT))) {
            return "unknown macro '" + expression + "' (use @yearly, @monthly, @weekly, @daily or @hourly)";
        }
        try {
            CronSchedule.parse(trimmed, ZoneId.of("UTC"));
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a valid cron expression: " + e.getMessage();
        }
    }

    static boolean isZone(String zone) {
        return ZoneId.getAvailableZoneIds().contains(zone) || zone.equals("UTC");
    }

    private static FireLimit fireLimit(FieldReader r, String at, Object value) {
        Map<String, Object> m = r.object(at, value);
        if (m == null) {
            return null;
        }
        only(r, at, m, Set.of("max", "window"));
        Integer max = r.integer(at + ".max", m.get("max"), 1, MAX_FIRE_LIMIT);
        if (m.get("max") == null) {
            r.fail(at + ".max", "is required");
        }
        if (m.get("window") == null) {
            r.fail(at + ".window", "is required (for example 1h)");
        }
        var window = r.duration(at + ".window", m.get("window"));
        return max == null || window == null ? null : new FireLimit(max, (String) m.get("window"));
    }

    private static RetryPolicy retry(FieldReader r, String at, Object value) {
        Map<String, Object> m = r.object(at, value);
        if (m == null) {
            return null;
        }
        only(r, at, m, Set.of("strategy", "max_retries", "base_delay"));
        String strategy = m.get("strategy") == null ? "none" : r.oneOf(at + ".strategy", m.get("strategy"), RETRY);
        Integer maxRetries = m.get("max_retries") == null ? 0 : r.integer(at + ".max_retries", m.get("max_retries"), 0, 100);
        String baseDelay = null;
        if (m.get("base_delay") != null && r.duration(at + ".base_delay", m.get("base_delay")) != null) {
            baseDelay = (String) m.get("base_delay");
        }
        if (strategy != null && !strategy.equals("none") && m.get("base_delay") == null) {
            r.fail(at + ".base_delay", "is required for the " + strategy + " strategy");
        }
        return strategy == null || maxRetries == null ? null : new RetryPolicy(strategy, maxRetries, baseDelay);
    }

    private static void only(FieldReader r, String at, Map<String, Object> m, Set<String> allowed) {
        for (String key : m.keySet()) {
            if (!allowed.contains(key)) {
                r.fail(at + "." + key, "unknown field");
            }
        }
    }

    private static void crossFieldRules(FieldReader r, AutomationDefinition d, AutomationSettings s) {
        if (d.repositoryIds() != null && !d.repositoryIds().isEmpty() && d.repositorySetId() != null) {
            r.fail("repository_set_id", "give either repository_ids or repository_set_id, not both");
        }
        // workspace_auto_stop_minutes is kept with any policy and takes effect only with delete_after_inactivity:
        // seed 004's own example sends it with the policy default (docs/seeds.md "Seed 004")
        if (d.kind() != null) {
            KindSchemas.check(r, d);
        }
    }

    /** Returns a copy of {@code d} with one field replaced. */
    @SuppressWarnings("unchecked")
    static AutomationDefinition with(AutomationDefinition d, String field, Object v) {
        return new AutomationDefinition(
                field.equals("name") ? (String) v : d.name(),
                field.equals("description") ? (String) v : d.description(),
                field.equals("kind") ? (String) v : d.kind(),
                field.equals("config") ? (Map<String, Object>) v : d.config(),
                field.equals("prompt") ? (String) v : d.prompt(),
                field.equals("code") ? (String) v : d.code(),
                field.equals("english_code") ? (String) v : d.englishCode(),
                field.equals("agent_name") ? (String) v : d.agentName(),
                field.equals("repository_ids") ? (List<String>) v : d.repositoryIds(),
                field.equals("repository_set_id") ? (String) v : d.repositorySetId(),
                field.equals("workspace_lifecycle_policy") ? (String) v : d.workspaceLifecyclePolicy(),
                field.equals("workspace_auto_stop_minutes") ? (Integer) v : d.workspaceAutoStopMinutes(),
                field.equals("default_inputs") ? (Map<String, Object>) v : d.defaultInputs(),
                d.connections(),
                field.equals("marked_outputs") ? (List<String>) v : d.markedOutputs());
    }

    /** A service account's description also becomes {@code config.proposal_note} for reviewers (seed 001). */
    static AutomationDefinition withProposalNote(AutomationDefinition d) {
        if (d.description() == null || d.description().isBlank()) {
            return d;
        }
        Map<String, Object> config = new LinkedHashMap<>(d.config() == null ? Map.of() : d.config());
        config.put("proposal_note", d.description());
        return with(d, "config", java.util.Collections.unmodifiableMap(config));
    }
}
