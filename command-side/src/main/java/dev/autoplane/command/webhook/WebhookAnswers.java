package dev.autoplane.command.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.autoplane.events.automation.WebhookCommands.WebhookFireResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer to a delivery, {@code {"result": {"matched", "delivery_id", "runs", "outcomes"}}}, as stored and replayed. */
final class WebhookAnswers {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private WebhookAnswers() {
    }

    static String json(List<WebhookFireResult> results, String deliveryId) {
        List<Object> runs = new ArrayList<>();
        List<Object> outcomes = new ArrayList<>();
        for (WebhookFireResult r : results) {
            if (r.run() != null) {
                runs.add(r.run());
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("automation_id", r.automationId());
            o.put("trigger_id", r.triggerId());
            o.put("outcome", r.outcome());
            if (r.run() != null) {
                o.put("run_id", r.run().id());
            }
            if (r.reason() != null) {
                o.put("reason", r.reason());
            }
            outcomes.add(o);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("matched", results.stream().filter(r -> !"not_matched".equals(r.outcome())).count());
        result.put("delivery_id", deliveryId);
        result.put("runs", runs);
        result.put("outcomes", outcomes);
        try {
            return JSON.writeValueAsString(Map.of("result", result));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
