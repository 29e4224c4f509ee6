package dev.autoplane.platform.concurrent;

import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking work with effects (a command, a write of the idempotency store) that a request starts
 * and that must then finish or fail whole, whatever the client does. Reactor cancels a request's
 * {@code Mono} when its client hangs up, and {@code subscribeOn} answers a cancel by interrupting
 * the worker thread: in the middle of a unit of work, a JDBC call, a file write. Here the work runs
 * on a pool of its own as a {@link CompletableFuture}, which a cancel neither cancels nor
 * interrupts; the request just stops waiting for it. Work not yet started when the client left is
 * not started at all.
 */
@Component
public class StartedWork {

    private final ThreadPoolExecutor workers;

    public StartedWork() {
        int threads = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(100_000),
                r -> {
                    Thread t = new Thread(r, "command-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code work} once subscribed; its result or error, or empty for {@code null}. A cancel does not stop it. */
    public <T> Mono<T> call(Callable<T> work) {
        return Mono.fromFuture(() -> CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, workers), true);
    }

    /** {@link #call} for work without a result. */
    public Mono<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    /** Work that has started finishes before the application context (and its database) closes. */
    @PreDestroy
    void drain() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(20, TimeUnit.SECONDS);
    }
}
