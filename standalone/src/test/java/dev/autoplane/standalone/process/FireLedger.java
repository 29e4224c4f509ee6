package dev.autoplane.standalone.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the event store says each automation's occurrences became, read straight from its tables. */
final class FireLedger {

    static final String WS = "00000000-0000-7000-8000-000000000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded occurrence: {@code fired} (JobFired) or a skip outcome, at its nominal instant. */
    record Occurrence(String outcome, String source, Instant scheduledAt) {
    }

    private FireLedger() {
    }

    static Map<String, List<Occurrence>> read(String url, String user, String password, List<String> automationIds)
            throws Exception {
        Map<String, List<Occurrence>> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement s = c.prepareStatement("SELECT payload_type, payload FROM domain_event_entry"
                     + " WHERE aggregate_identifier = ? ORDER BY sequence_number")) {
            for (String id : automationIds) {
                List<Occurrence> list = new ArrayList<>();
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(1);
                        if (!type.endsWith("JobFiredEvent") && !type.endsWith("OccurrenceSkippedEvent")) {
                            continue;
                        }
                        JsonNode p = JSON.readTree(new String(rs.getBytes(2), StandardCharsets.UTF_8));
                        list.add(new Occurrence(type.endsWith("JobFiredEvent") ? "fired" : p.get("outcome").asText(),
                                p.path("source").asText(""), Instant.parse(p.get("scheduledAt").asText())));
                    }
                }
                out.put(id, list);
            }
        }
        return out;
    }

    /**
     * Every occurrence of a 1-second interval between the first and the last one recorded is there
     * exactly once, and fired: nothing lost, nothing twice.
     */
    static void assertEverySecondFiredOnce(Map<String, List<Occurrence>> ledger, Instant atLeastUntil) {
        for (var e : ledger.entrySet()) {
            List<Instant> fired = e.getValue().stream().filter(o -> o.outcome().equals("fired"))
                    .map(Occurrence::scheduledAt).sorted().toList();
            assertThat(e.getValue()).as("automation %s: only fires (the outage was shorter than the grace)", e.getKey())
                    .allMatch(o -> o.outcome().equals("fired"));
            assertThat(fired).as("automation %s fired something", e.getKey()).isNotEmpty();
            assertThat(fired).as("automation %s: no occurrence twice", e.getKey()).doesNotHaveDuplicates();
            for (int i = 1; i < fired.size(); i++) {
                assertThat(Duration.between(fired.get(i - 1), fired.get(i))).as("automation %s: no gap after %s",
                        e.getKey(), fired.get(i - 1)).isEqualTo(Duration.ofSeconds(1));
            }
            assertThat(fired.get(fired.size() - 1)).as("automation %s kept firing", e.getKey()).isAfter(atLeastUntil);
        }
    }

    /** Creates {@code n} active automations, each with a schedule firing every second; answers their ids. */
    static List<String> everySecond(HttpClient client, String baseUrl, String token, int n) throws Exception {
        Pattern id = Pattern.compile("\"automation\":\\{\"id\":\"([0-9a-f-]{36})\"");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> created = send(client, "POST", baseUrl + "/api/v1/workspaces/" + WS + "/automations", token,
                    "{\"name\":\"every second " + i + " " + System.nanoTime() + "\",\"kind\":\"scheduled\",\"status\":\"active\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            Matcher m = id.matcher(created.body());
            assertThat(m.find()).isTrue();
            HttpResponse<String> schedule = send(client, "PUT", baseUrl + "/api/v1/workspaces/" + WS + "/automations/"
                    + m.group(1) + "/schedule", token, "{\"interval\":\"1s\",\"catch_up_policy\":\"fire_all\"}");
            assertThat(schedule.statusCode()).as(schedule.body()).isEqualTo(200);
            ids.add(m.group(1));
        }
        return ids;
    }

    static HttpResponse<String> send(HttpClient client, String method, String url, String token, String body)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
