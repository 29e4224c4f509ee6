package dev.autoplane.platform.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;

/**
 * Sends commands from WebFlux endpoints. The local command bus runs handlers on the caller's
 * thread, so dispatch happens on a worker pool, never on the Netty event loop; once the command
 * is done, the answer waits for this node's projections (read-your-writes).
 */
@Component
public class CommandDispatcher {

    private final CommandGateway gateway;
    private final ReadYourWrites readYourWrites;
    private final Scheduler workers = Schedulers.newBoundedElastic(
            Math.max(16, Runtime.getRuntime().availableProcessors() * 8), 100_000, "command");

    public CommandDispatcher(CommandGateway gateway, ReadYourWrites readYourWrites) {
        this.gateway = gateway;
        this.readYourWrites = readYourWrites;
    }

    /** Sends the command and answers its result (empty when the handler returns nothing). */
    public <R> Mono<Optional<R>> send(Object command, MetaData metaData) {
        return Mono.fromCallable(() -> Optional.ofNullable(gateway.<R>sendAndWait(
                        GenericCommandMessage.asCommandMessage(command).andMetaData(metaData))))
                .subscribeOn(workers)
                .flatMap(result -> readYourWrites.await().thenReturn(result));
    }
}
