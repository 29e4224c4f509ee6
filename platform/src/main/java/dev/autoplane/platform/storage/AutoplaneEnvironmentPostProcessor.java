package dev.autoplane.platform.storage;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns the documented {@code autoplane.*} settings into the Spring and Axon properties they imply,
 * so that a user sets one variable ({@code AUTOPLANE_STORAGE}) instead of five.
 * Explicit {@code spring.datasource.*} settings still win.
 */
public class AutoplaneEnvironmentPostProcessor implements EnvironmentPostProcessor {

    /** Defaults every Autoplane process shares (each may still be overridden). */
    static final Map<String, Object> COMMON = Map.ofEntries(
            Map.entry("spring.codec.max-in-memory-size", "1MB"),
            Map.entry("server.shutdown", "graceful"),
            Map.entry("spring.lifecycle.timeout-per-shutdown-phase", "20s"),
            Map.entry("spring.flyway.baseline-on-migrate", "false"),
            Map.entry("management.endpoints.web.exposure.include", "health,info,prometheus,metrics"),
            Map.entry("management.endpoint.health.probes.enabled", "true"),
            Map.entry("springdoc.api-docs.path", "/v3/api-docs"),
            Map.entry("springdoc.swagger-ui.path", "/swagger-ui.html"),
            Map.entry("axoniq.update-checker.disabled", "true"),
            Map.entry("axon.eventhandling.tokenstore.claim-timeout", "10s"),
            // Axon 4.11–4.13.1 time-limit every handler and transaction with a task that walks the caller's
            // stack on every start (AxonFramework#4637, fixed in 4.13.2, which is not yet served here): 4.6 %
            // of the server's samples in P10. Nothing here relies on those timeouts (our own bounds are the
            // read-your-writes wait, the claim and run leases, the HTTP timeouts). Set it true to have them.
            Map.entry("axon.timeout.enabled", "false"),
            Map.entry("spring.datasource.hikari.maximum-pool-size", "24"),
            Map.entry("spring.main.banner-mode", "off"),
            // every Axon serializer here is Jackson (AxonStorageConfiguration); the XStream instance Axon
            // builds when none exists was never used and cost ~2 s of every start-up (P9)
            Map.entry("spring.autoconfigure.exclude", "org.axonframework.springboot.autoconfig.XStreamAutoConfiguration"),
            // Axon logs every exception of an aggregate's creation at WARN before rethrowing it; a domain
            // error (a 4xx) is not a server event, and a real fault is logged where it is answered
            Map.entry("logging.level.org.axonframework.modelling.command.AbstractRepository", "ERROR"),
            // the same for the gateway and the callbacks that log every failed command at WARN with its
            // stack trace (seen for each validation error on a real Axon Server run, issue 9)
            Map.entry("logging.level.org.axonframework.commandhandling.gateway.DefaultCommandGateway", "ERROR"),
            Map.entry("logging.level.org.axonframework.commandhandling.callbacks", "ERROR"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        // Axon's update checker calls home and logs stack traces offline; it reads a system property only
        if (System.getProperty("axoniq.update-checker.disabled") == null && System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
        if (System.getProperty("disable-axoniq-console-message") == null) {
            System.setProperty("disable-axoniq-console-message", "true"); // a 7-line advertisement on every start
        }
        StorageMode mode = StorageMode.parse(env.getProperty("autoplane.storage", "embedded"));
        Map<String, Object> derived = new HashMap<>(COMMON);
        derived.put("autoplane.data-dir", "./data");
        if (mode == StorageMode.EMBEDDED) {
            // a placeholder, resolved when the DataSource is bound: later property sources (tests) still count.
            // WRITE_DELAY: a projection's commit reaches the file with the next command's or after this delay; every
            // other commit is written before its thread goes on (DurableCommits: kill -9 loses nothing acknowledged).
            // retry: H2's file system that reopens the file when a thread is interrupted during I/O. Reactor
            // interrupts a worker when a request is canceled (a client that disconnects); with the plain file
            // system that closed the database's file channel and every later write failed until a restart.
            derived.put("spring.datasource.url", "jdbc:h2:retry:${autoplane.data-dir}/autoplane"
                    + ";WRITE_DELAY=${autoplane.h2.projection-write-delay:100};DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;DEFAULT_LOCK_TIMEOUT=10000"
                    // on close, move the live chunks together and truncate the file (H2's default: 200 ms)
                    + ";MAX_COMPACT_TIME=${autoplane.h2.compact-on-close:10000}"
                    // each session (pooled connection) keeps this many parsed statements; H2's default of 8 is
                    // fewer than one projection batch uses, so every statement was parsed again (bench/README, step 20)
                    + ";QUERY_CACHE_SIZE=32");
            derived.put("spring.datasource.username", "sa");
            derived.put("spring.datasource.password", "");
            derived.put("spring.flyway.locations", "classpath:db/migration/common,classpath:db/migration/h2");
            // one node, which projects every access change itself: the request path reads access from memory
            derived.put("autoplane.access.cache", "true");
            // and is the one writer of its read models: a projection may keep what it wrote instead of reading it back
            derived.put("autoplane.read-models.cache", "true");
        } else {
            require(env, "autoplane.db.url", mode);
            derived.put("spring.datasource.url", env.getProperty("autoplane.db.url"));
            derived.put("spring.datasource.username", env.getProperty("autoplane.db.user", ""));
            derived.put("spring.datasource.password", env.getProperty("autoplane.db.password", ""));
            derived.put("spring.flyway.locations", "classpath:db/migration/common,classpath:db/migration/postgresql");
        }
        derived.put("axon.axonserver.enabled", String.valueOf(mode == StorageMode.DISTRIBUTED));
        if (mode == StorageMode.DISTRIBUTED) {
            require(env, "axon.axonserver.servers", mode);
            require(env, "autoplane.mongodb.uri", mode);
        }
        // lowest precedence: anything the user set explicitly wins
        env.getPropertySources().addLast(new MapPropertySource("autoplaneStorageDefaults", derived));
    }

    private static void require(ConfigurableEnvironment env, String property, StorageMode mode) {
        if (env.getProperty(property) == null || env.getProperty(property).isBlank()) {
            throw new IllegalStateException(property + " must be set when autoplane.storage is "
                    + mode.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
