package dev.autoplane.command.bootstrap;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.identity.IdentityCommands.CreateWorkspaceCommand;
import dev.autoplane.events.identity.IdentityCommands.IssuePersonalAccessTokenCommand;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.secret.PrivateFiles;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * First start (the default workspace does not exist yet): workspace {@code default} with the member {@code admin} (role
 * admin), and a personal access token for it in {@code <data dir>/admin-token} (mode 0600, one
 * line). The log names the file, never the token. A later start changes nothing. The default
 * workspace has a fixed id, so two nodes starting at once create it once.
 */
@Component
@Order(0)
class Bootstrap implements ApplicationRunner {

    static final String DEFAULT_WORKSPACE_ID = "00000000-0000-7000-8000-000000000001";
    static final String ADMIN_USER = "admin";
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final CommandGateway commands;
    private final dev.autoplane.platform.axon.ReadYourWrites readYourWrites;
    private final EventStore eventStore;
    private final SecretHasher hasher;
    private final Clock clock;
    private final Path tokenFile;
    private final boolean enabled;

    Bootstrap(CommandGateway commands, dev.autoplane.platform.axon.ReadYourWrites readYourWrites, EventStore eventStore, SecretHasher hasher, Clock clock,
              @Value("${autoplane.data-dir}") String dataDir,
              @Value("${autoplane.bootstrap.enabled:true}") boolean enabled) {
        this.commands = commands;
        this.readYourWrites = readYourWrites;
        this.eventStore = eventStore;
        this.hasher = hasher;
        this.clock = clock;
        this.tokenFile = Path.of(dataDir).resolve("admin-token");
        this.enabled = enabled;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            return;
        }
        if (eventStore.lastSequenceNumberFor(DEFAULT_WORKSPACE_ID).isPresent()) {
            if (!Files.exists(tokenFile)) {
                log.info("Already bootstrapped, but {} is gone; create tokens with POST /api/v1/tokens.", tokenFile);
            }
            return;
        }
        try {
            commands.sendAndWait(new CreateWorkspaceCommand(DEFAULT_WORKSPACE_ID, "default", null, Actor.SYSTEM,
                    clock.instant()));
        } catch (AggregateStreamCreationException e) {
            log.info("Another node bootstrapped the default workspace");
            return;
        }
        String token = SecretTokens.generate(SecretTokens.PERSONAL_ACCESS_TOKEN);
        commands.sendAndWait(new IssuePersonalAccessTokenCommand(Ids.newId(), ADMIN_USER, "bootstrap admin token",
                hasher.hash(token), null, Actor.SYSTEM, clock.instant()));
        readYourWrites.await().block(); // the token works once the file exists (where this node projects access)
        try {
            PrivateFiles.write(tokenFile, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tokenFile, e);
        }
        log.info("Bootstrapped workspace 'default' (id {}); the admin's token is in {}", DEFAULT_WORKSPACE_ID,
                tokenFile.toAbsolutePath());
    }
}
