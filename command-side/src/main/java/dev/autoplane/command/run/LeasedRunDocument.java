package dev.autoplane.command.run;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.autoplane.events.run.LeasedRun;
import dev.autoplane.events.run.RunView;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A leased run on the wire: the run's fields, its {@code lease_id} and the revision's {@code definition}. What
 * {@code POST .../runs/lease} answers per run, and the body push delivery POSTs.
 */
public record LeasedRunDocument(@JsonUnwrapped RunView run, String leaseId, Map<String, Object> definition) {

    public static LeasedRunDocument of(LeasedRun l) {
        var d = l.definition();
        Map<String, Object> definition = new LinkedHashMap<>();
        if (d != null) {
            putIfSet(definition, "kind", d.kind());
            putIfSet(definition, "config", d.config());
            putIfSet(definition, "prompt", d.prompt());
            putIfSet(definition, "code", d.code());
            putIfSet(definition, "agent_name", d.agentName());
            putIfSet(definition, "repository_ids", d.repositoryIds());
        }
        return new LeasedRunDocument(l.run(), l.leaseId(), definition);
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
