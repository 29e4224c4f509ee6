package dev.autoplane.standalone.seeds.seed003;

import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.standalone.seeds.SeedJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 003's names for the {@code /api/v1} automation and run (docs/seeds.md "Seed 003"): a job is an automation, its
 * {@code schedule} its one time trigger; a run keeps its fields, {@code job_id} being the automation's id.
 */
final class Seed003Shapes {

    /** The kind of an automation created as a job: it sends {@code prompt} to {@code agent_name}. */
    static final String JOB_KIND = "agent_prompt";
    private static final Set<String> SCOPES = Set.of("global", "workspace");

    private Seed003Shapes() {
    }

    /**
     * A job body as {@code /api/v1} automation fields: {@code schedule {mode, expr | interval | time}} becomes the one
     * time trigger, {@code task.description} the description; {@code scope} is the token's workspace either way;
     * every other field goes as sent (the {@code /api/v1} rules judge it).
     */
    static Map<String, Object> jobFields(Map<String, Object> body) {
        Map<String, Object> f = new LinkedHashMap<>(body);
        Object scope = f.remove("scope");
        if (scope != null && !SCOPES.contains(scope)) {
            throw ApiProblem.invalid("scope", "must be global or workspace");
        }
        f.remove("workspace_id"); // the path's or the token's workspace; a job cannot move
        if (f.containsKey("schedule")) {
            Object schedule = f.remove("schedule");
            f.put("triggers", schedule == null ? List.of() : List.of(trigger(schedule)));
        }
        if (f.get("task") instanceof Map<?, ?> task) {
            f.remove("task");
            if (task.get("description") != null) {
                f.putIfAbsent("description", task.get("description"));
            }
        }
        return f;
    }

    private static Map<String, Object> trigger(Object schedule) {
        if (!(schedule instanceof Map<?, ?> s)) {
            throw ApiProblem.invalid("schedule", "must be an object {mode, expr | interval | time}");
        }
        Object mode = s.get("mode");
        Map<String, Object> config = new LinkedHashMap<>();
        String type;
        if ("interval".equals(mode)) {
            type = "interval";
            config.put("every", s.get("interval"));
        } else if ("at".equals(mode) || "once".equals(mode)) {
            type = "at";
            config.put("at", s.get("time"));
        } else if (mode == null || "cron".equals(mode)) {
            type = "cron";
            config.put("schedule", s.get("expr"));
            if (s.get("timezone") != null) {
                config.put("timezone", s.get("timezone"));
            }
        } else {
            throw ApiProblem.invalid("schedule.mode", "must be cron, interval or at");
        }
        return Map.of("type", type, "config", config);
    }

    /** The {@code /api/v1} automation as a seed 003 job. */
    static Map<String, Object> job(Map<String, Object> a) {
        Map<String, Object> time = timeTrigger(a);
        Map<String, Object> config = SeedJson.object(time, "config");
        Map<String, Object> schedule = new LinkedHashMap<>();
        String type = (String) time.get("type");
        schedule.put("expr", "cron".equals(type) ? config.get("schedule") : null);
        schedule.put("interval", "interval".equals(type) ? config.get("every") : null);
        schedule.put("mode", type == null ? null : "at".equals(type) ? "at" : type);
        schedule.put("time", "at".equals(type) ? config.get("at") : null);
        Map<String, Object> misfire = SeedJson.object(a, "misfire");
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("catch_up_policy", misfire.get("catch_up_policy"));
        scheduler.put("consecutive_resume_failures", null);
        scheduler.put("job_id", a.get("id"));
        scheduler.put("last_fire_id", null);
        scheduler.put("last_misfire_at", null);
        scheduler.put("last_run_at", a.get("last_run_at"));
        scheduler.put("last_scheduled_at", null);
        scheduler.put("misfire_count", null);
        scheduler.put("misfire_grace_seconds", misfire.get("grace_seconds"));
        scheduler.put("next_run_at", a.get("next_run_at"));
        scheduler.put("registered", a.get("next_run_at") != null);
        scheduler.put("updated_at", a.get("updated_at"));
        Map<String, Object> by = SeedJson.object(a, "created_by");
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("kind", "user".equals(by.get("kind")) ? "human" : by.get("kind"));
        owner.put("ref", by.get("id"));
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("description", a.get("description"));
        task.put("network_channel", null);
        task.put("owner", owner);
        task.put("title", a.get("name"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent_name", a.get("agent_name"));
        m.put("created_at", a.get("created_at"));
        m.put("enabled", "active".equals(a.get("status")) && !Boolean.FALSE.equals(a.get("enabled")));
        m.put("fire_limit", a.get("fire_limit"));
        m.put("id", a.get("id"));
        m.put("name", a.get("name"));
        m.put("next_run", a.get("next_run_at"));
        m.put("prompt", a.get("prompt"));
        m.put("retry", a.get("retry"));
        m.put("schedule", schedule);
        m.put("scheduler", scheduler);
        m.put("scope", "workspace");
        m.put("source", "dynamic");
        m.put("task", task);
        m.put("updated_at", a.get("updated_at"));
        m.put("workspace_id", a.get("workspace_id"));
        m.put("status", a.get("status"));
        m.put("kind", a.get("kind"));
        return m;
    }

    /** The {@code /api/v1} run as a seed 003 run. */
    static Map<String, Object> run(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", r.get("attempt"));
        m.put("delivery_error", r.get("delivery_error"));
        m.put("delivery_error_at", r.get("delivery_error_at"));
        m.put("ended_at", r.get("ended_at"));
        m.put("error", r.get("error"));
        m.put("fire_id", r.get("fire_id"));
        m.put("id", r.get("id"));
        m.put("job_id", r.get("automation_id"));
        m.put("scheduled_at", r.get("scheduled_at"));
        m.put("session_id", r.get("external_ref"));
        m.put("started_at", r.get("started_at"));
        m.put("status", r.get("status"));
        m.put("task_id", null);
        m.put("task_run_id", null);
        m.put("trigger_id", r.get("trigger_id"));
        m.put("workspace_id", r.get("workspace_id"));
        m.put("revision", r.get("revision"));
        m.put("source", r.get("source"));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> timeTrigger(Map<String, Object> a) {
        if (a.get("triggers") instanceof List<?> triggers) {
            for (Object t : triggers) {
                if (t instanceof Map<?, ?> m && Set.of("cron", "interval", "at").contains(m.get("type"))) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return Map.of();
    }
}
