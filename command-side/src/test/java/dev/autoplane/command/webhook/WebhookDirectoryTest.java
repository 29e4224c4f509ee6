package dev.autoplane.command.webhook;

import dev.autoplane.command.crypto.FieldCipher;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded mode's endpoint directory answers from memory: once loaded, looking up an unknown or a
 * known endpoint (all a forged delivery does before it is refused) reads nothing from the database,
 * which this test takes away; a reload after a change reads the committed rows again.
 */
class WebhookDirectoryTest {

    @Test
    void aLoadedDirectoryAnswersWithoutTheDatabase(@TempDir Path dir) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:webhook-directory-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        FieldCipher cipher = new FieldCipher(jdbc, Clock.systemUTC(), "", dir.toString());
        String secret = WebhookSigning.newSecret();
        var sealed = cipher.encrypt("wh-1", WebhookDirectory.SECRET_FIELD, secret);
        jdbc.update("INSERT INTO webhook_endpoint (endpoint_key, workspace_id, slug, webhook_id, secret, secret_hash, created_at)"
                + " VALUES ('ws/ci', 'ws', 'ci', 'wh-1', ?, 'hash', ?)", sealed.keyId() + ":" + sealed.ciphertext(),
                Timestamp.from(Instant.now()));
        jdbc.update("INSERT INTO webhook_trigger (automation_id, trigger_id, workspace_id, endpoint_key, event, enabled, deleted)"
                + " VALUES ('a-1', 't-1', 'ws', 'ws/ci', 'deploy', TRUE, FALSE)");

        WebhookDirectory directory = new WebhookDirectory(jdbc, cipher, true);
        directory.preload();
        jdbc.execute("DROP ALL OBJECTS"); // from here on, any query fails
        assertThatThrownBy(() -> jdbc.queryForList("SELECT * FROM webhook_endpoint")).isNotNull();

        assertThat(directory.find("ws/unknown")).isEmpty();
        var endpoint = directory.find("ws/ci").orElseThrow();
        assertThat(endpoint.triggers()).extracting(WebhookDirectory.Trigger::automationId).containsExactly("a-1");
        assertThat(endpoint.keysAt(Instant.now())).hasSize(1);
        assertThat(endpoint.keysAt(Instant.now()).get(0).agh()).isEqualTo(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(WebhookSigning.verify(WebhookSigning.Signed.of(new org.springframework.http.HttpHeaders()), new byte[0],
                endpoint.keysAt(Instant.now()), Instant.now())).isFalse();
        assertThat(directory.inMemory()).isTrue();
    }
}
