package dev.autoplane.platform.axon;

import dev.autoplane.platform.concurrent.StartedWork;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;

/**
 * Sends commands from WebFlux endpoints. The local command bus runs handlers on the caller's
 * thread, so dispatch happens on a worker pool, never on the Netty event loop; once the command
 * is done, the answer waits for this node's projections (read-your-writes).
 * <p>
 * Where {@link GroupCommit} is on, commands that arrive together share one transaction and one
 * commit (each still in a unit of work of its own, answered only once the shared commit is done).
 * <p>
 * A command is one unit of work: once sent it commits or rolls back whole,
 * even if the client hangs up meanwhile ({@link StartedWork}: a canceled request no longer
 * interrupts the thread in the middle of the unit of work). Only the read-your-writes wait after
 * it is canceled with the request.
 */
@Component
public class CommandDispatcher {

    private final CommandGateway gateway;
    private final ReadYourWrites readYourWrites;
    private final StartedWork work;
    private final GroupCommit groupCommit;

    public CommandDispatcher(CommandGateway gateway, ReadYourWrites readYourWrites, StartedWork work,
                             GroupCommit groupCommit) {
        this.gateway = gateway;
        this.readYourWrites = readYourWrites;
        this.work = work;
        this.groupCommit = groupCommit;
    }

    /** Sends the command and answers its result (empty when the handler returns nothing). */
    public <R> Mono<Optional<R>> send(Object command, MetaData metaData) {
        return this.<R>dispatch(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData))
                .flatMap(result -> readYourWrites.await().thenReturn(result));
    }

    @SuppressWarnings("unchecked")
    private <R> Mono<Optional<R>> dispatch(CommandMessage<?> message) {
        if (!groupCommit.enabled()) {
            return work.call(() -> Optional.ofNullable(gateway.<R>sendAndWait(message)));
        }
        // a cancel does not stop a command once started (as StartedWork); one still queued is not sent
        return Mono.defer(() -> {
            GroupCommit.Pending pending = groupCommit.submit(message);
            return Mono.fromFuture(pending.result(), true)
                    .map(result -> Optional.ofNullable((R) result))
                    .defaultIfEmpty(Optional.empty())
                    // the answer goes on elsewhere: never on the group commit thread, which completes the future
                    .publishOn(Schedulers.boundedElastic())
                    .doOnCancel(pending::cancel);
        });
    }
}
