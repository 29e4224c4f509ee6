package dev.autoplane.query.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.autoplane.events.run.RunView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run change's JSON, written once however many subscribers of the run stream receive it: the stream hands
 * every subscriber the same {@link RunView} instance for a change, so the text is kept per instance (weak
 * keys compare by identity; a change no subscriber holds any more is dropped with it).
 */
@Component
class RunJson {

    private final JsonMapper json;
    private final Cache<RunView, String> byInstance = Caffeine.newBuilder().weakKeys().maximumSize(4_096).build();

    RunJson(JsonMapper json) {
        this.json = json;
    }

    /** The run JSON as {@code GET .../runs/{runId}} shows it (the HTTP contract's mapper). */
    String of(RunView run) {
        return byInstance.get(run, json::writeValueAsString);
    }
}
