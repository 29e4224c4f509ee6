package dev.autoplane.platform.axon;

import dev.autoplane.platform.concurrent.StartedWork;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Sends commands from WebFlux endpoints. The local command bus runs handlers on the caller's
 * thread, so dispatch happens on a worker pool, never on the Netty event loop; once the command
 * is done, the answer waits for this node's projections (read-your-writes).
 * <p>
 * A command is one unit of work and one transaction: once sent it commits or rolls back whole,
 * even if the client hangs up meanwhile ({@link StartedWork}: a canceled request no longer
 * interrupts the thread in the middle of the unit of work). Only the read-your-writes wait after
 * it is canceled with the request.
 */
@Component
public class CommandDispatcher {

    private final CommandGateway gateway;
    private final ReadYourWrites readYourWrites;
    private final StartedWork work;

    public CommandDispatcher(CommandGateway gateway, ReadYourWrites readYourWrites, StartedWork work) {
        this.gateway = gateway;
        this.readYourWrites = readYourWrites;
        this.work = work;
    }

    /** Sends the command and answers its result (empty when the handler returns nothing). */
    public <R> Mono<Optional<R>> send(Object command, MetaData metaData) {
        return work.call(() -> Optional.ofNullable(gateway.<R>sendAndWait(
                        GenericCommandMessage.asCommandMessage(command).andMetaData(metaData))))
                .flatMap(result -> readYourWrites.await().thenReturn(result));
    }
}
