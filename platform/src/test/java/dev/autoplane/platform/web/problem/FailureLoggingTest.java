package dev.autoplane.platform.web.problem;

import dev.autoplane.events.common.DomainException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed requests are logged in proportion to what they mean (issue 15: every aborted request logged
 * an ERROR with a ~40-line stack trace, 7.6 MB of log for 381 aborts): a request whose client went
 * away is one INFO line; a client error is not logged; a server fault keeps its ERROR and stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureLoggingTest {

    private final ProblemExceptionHandler handler = new ProblemExceptionHandler(JsonMapper.builder().build());

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/workspaces/w/automations"));
    }

    @Test
    void aCommandInterruptedBecauseItsClientWentAwayIsOneInfoLine(CapturedOutput output) {
        // what Reactor's cancellation of an aborted request produces: the worker is interrupted mid-command
        Throwable aborted = new CommandExecutionException("An exception occurred while executing a command",
                new InterruptedException("UnitOfWork of SimpleCommandBus was interrupted."));
        handler.handle(exchange(), aborted).block();

        String log = output.getAll();
        assertThat(log).contains("abandoned by its client").contains("InterruptedException");
        assertThat(log).doesNotContain("ERROR").doesNotContain("\tat ");
        assertThat(log.lines().filter(l -> l.contains("ProblemExceptionHandler")).toList())
                .singleElement().asString().contains("INFO");
    }

    @Test
    void aDomainErrorIsAnsweredAndNotLogged(CapturedOutput output) {
        handler.handle(exchange(), new DomainException(DomainException.Kind.CONFLICT,
                "name_taken", "an automation named 'x' already exists")).block();
        assertThat(output.getAll()).doesNotContain("ProblemExceptionHandler").doesNotContain("name_taken");
    }

    @Test
    void aServerFaultKeepsItsErrorAndStackTrace(CapturedOutput output) {
        handler.handle(exchange(), new IllegalStateException("the index is inconsistent")).block();
        assertThat(output.getAll()).contains("ERROR").contains("IllegalStateException: the index is inconsistent").contains("\tat ");
    }

    @Test
    void abortCausesAreRecognisedAnywhereInTheChain() {
        assertThat(ClientAbort.causedByAbort(new RuntimeException(new java.nio.channels.ClosedChannelException()))).isTrue();
        assertThat(ClientAbort.causedByAbort(new java.io.IOException("Connection reset by peer"))).isTrue();
        assertThat(ClientAbort.causedByAbort(new IllegalStateException("x", new IllegalArgumentException()))).isFalse();
    }
}
