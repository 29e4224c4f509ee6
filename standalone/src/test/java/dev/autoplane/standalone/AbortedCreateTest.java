package dev.autoplane.standalone;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hang up at any instant of a write (issue 15, item 4): 300 complete create requests
 * over raw sockets, each closed 0–50 ms after it was sent (half of them with a reset), several at
 * once. A create the server started must finish or roll back whole: afterwards every automation
 * in the event store is complete (created, secret issued, published, approved, in the engine's
 * index) or absent, no unit of work was interrupted, no database connection is left in use, and
 * the server still answers.
 * Reactor cancels the request's {@code Mono} on a hang-up; before the fix that interrupted the
 * command's thread in the middle of its unit of work.
 */
class AbortedCreateTest extends ApiTest {

    private static final int REQUESTS = 300;
    private static final Set<String> COMPLETE = Set.of("AutomationCreatedEvent", "AutomationSecretIssuedEvent",
            "AutomationPublishedEvent", "AutomationApprovedEvent");

    @Autowired
    DataSource dataSource;

    @Test
    void everyAbortedCreateIsCompleteOrAbsent() throws Exception {
        String prefix = "aborted-" + System.nanoTime() + "-";
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String name = prefix + i;
            sent.add(clients.submit(() -> {
                sendAndHangUp(name);
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        clients.shutdown();
        awaitQuiet();
        root.detachAppender(log);
        assertThat(log.list.stream().filter(AbortedCreateTest::interrupted).map(ILoggingEvent::getFormattedMessage))
                .as("units of work interrupted by a client's hang-up").isEmpty();

        Map<String, List<String>> streams = new HashMap<>();
        List<String> created = jdbc.query("SELECT aggregate_identifier, payload FROM domain_event_entry"
                        + " WHERE payload_type = 'dev.autoplane.events.automation.AutomationEvents$AutomationCreatedEvent'",
                (rs, i) -> new String(rs.getBytes(2), StandardCharsets.UTF_8).contains(prefix) ? rs.getString(1) : null)
                .stream().filter(java.util.Objects::nonNull).toList();
        for (String id : created) {
            streams.put(id, jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?"
                    + " ORDER BY sequence_number", String.class, id).stream()
                    .map(t -> t.substring(t.lastIndexOf('$') + 1)).toList());
        }
        streams.forEach((id, types) -> assertThat(types).as("events of aborted create %s", id).containsAll(COMPLETE));
        for (String id : created) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM schedule_book WHERE automation_id = ?", Long.class, id))
                    .as("the engine's index of %s", id).isEqualTo(1L);
        }
        assertThat(connectionsInUseOnceIdle()).as("database connections still in use after the aborts").isZero();
        Map<String, Object> after = createAutomation(body(prefix + "after"));
        assertThat(after.get("status")).isEqualTo("active");
    }

    /** A log event about work that was interrupted (Axon's unit of work, a listener, a JDBC call). */
    private static boolean interrupted(ILoggingEvent event) {
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            if (t.getClassName().contains("Interrupt") || String.valueOf(t.getMessage()).contains("interrupted")) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> body(String name) {
        return Map.of("name", name, "kind", "scheduled", "status", "active",
                "triggers", List.of(Map.of("type", "cron", "config", Map.of("schedule", "0 9 * * 1-5"))));
    }

    private void sendAndHangUp(String name) throws Exception {
        byte[] json = new tools.jackson.databind.json.JsonMapper().writeValueAsBytes(body(name));
        String head = "POST /api/v1/workspaces/" + WS + "/automations HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\n"
                + "Authorization: Bearer " + adminToken + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Socket socket = new Socket("localhost", port)) {
            if (random.nextBoolean()) {
                socket.setSoLinger(true, 0);   // close with a reset rather than a FIN
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            Thread.sleep(random.nextInt(51));
        }
    }

    /** Connections in use, looked at for up to 10 s until none is (the processors borrow one now and then). */
    private int connectionsInUseOnceIdle() throws InterruptedException, java.sql.SQLException {
        int active = -1;
        for (int i = 0; i < 100 && active != 0; i++) {
            active = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().getActiveConnections();
            if (active != 0) {
                Thread.sleep(100);
            }
        }
        return active;
    }

    /** Until no event has been appended and no connection has been in use for a second (at most 60 s). */
    private void awaitQuiet() throws InterruptedException, java.sql.SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long last = -1;
        int quietLooks = 0;
        while (System.nanoTime() < deadline && quietLooks < 5) {
            Thread.sleep(200);
            long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry", Long.class);
            boolean idle = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().getActiveConnections() <= 1;
            quietLooks = head == last && idle ? quietLooks + 1 : 0;
            last = head;
        }
    }
}
