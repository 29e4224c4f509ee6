package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 6: an OAuth token is encrypted before its command runs, under a key of the
 * automation. That key is stored by the command, in its transaction: a malformed id is a 404
 * problem (not a 500 from the key table), and an unknown automation or a refused command leaves no
 * key behind. A purge shreds the keys in the purge's own transaction.
 */
class SubjectKeyAtomicityTest extends ApiTest {

    private static final String AUTOMATIONS = "/workspaces/" + WS + "/automations";

    @Test
    void aMalformedIdIsNotFoundAndStoresNoKey() {
        long keys = keys();
        assertProblem(patch(adminToken, AUTOMATIONS + "/" + "a".repeat(65), Map.of("oauth_token", "x")), 404);
        assertProblem(patch(adminToken, AUTOMATIONS + "/not-an-id", Map.of("oauth_token", "x")), 404);
        assertThat(keys()).isEqualTo(keys);
    }

    @Test
    void anUnknownAutomationStoresNoKey() {
        String unknown = dev.autoplane.platform.Ids.newId();
        assertProblem(patch(adminToken, AUTOMATIONS + "/" + unknown, Map.of("oauth_token", "x")), 404);
        assertThat(keysOf(unknown)).isZero();
    }

    @Test
    void aRefusedCommandStoresNoKey() {
        String id = (String) createDraft(uniqueName("keyless")).get("id");
        assertThat(keysOf(id)).isZero();
        assertProblem(patch(adminToken, AUTOMATIONS + "/" + id, Map.of("oauth_token", "x", "kind", "cron_job")), 400, "kind");
        assertThat(keysOf(id)).isZero();
        long keys = keys();
        assertProblem(post(adminToken, AUTOMATIONS, Map.of("name", " ", "kind", "scheduled", "oauth_token", "x")), 400, "name");
        assertThat(keys()).isEqualTo(keys);
    }

    @Test
    void anAcceptedTokenHasItsKeyAndAPurgeShredsIt() {
        String id = (String) createDraft(uniqueName("keyed")).get("id");
        assertThat(body(patch(adminToken, AUTOMATIONS + "/" + id, Map.of("oauth_token", "xoxb-" + System.nanoTime()))
                .expectStatus().isOk()).get("oauth_token_present")).isEqualTo(true);
        assertThat(keysOf(id)).isEqualTo(1);
        post(adminToken, AUTOMATIONS + "/" + id + "/purge", null).expectStatus().isNoContent();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM subject_key WHERE subject_id = ? AND wrapped_key IS NOT NULL",
                Long.class, id)).as("live keys of a purged automation").isZero();
    }

    private long keys() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM subject_key", Long.class);
    }

    private long keysOf(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM subject_key WHERE subject_id = ?", Long.class, id);
    }
}
