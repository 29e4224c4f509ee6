package dev.autoplane.command.delivery;

import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.command.delivery.DeliveryQueue.Owed;
import dev.autoplane.command.delivery.DeliveryTargets.Target;
import dev.autoplane.command.run.LeasedRunDocument;
import dev.autoplane.command.run.RunLeases;
import dev.autoplane.command.run.RunQueueSignal;
import dev.autoplane.events.common.Actor;
import dev.autoplane.events.run.LeasedRun;
import dev.autoplane.events.run.RunCommands.DelegateRunCommand;
import dev.autoplane.events.run.RunCommands.FailRunCommand;
import dev.autoplane.events.run.RunCommands.HeartbeatRunCommand;
import dev.autoplane.events.run.RunCommands.LeaseRunCommand;
import dev.autoplane.events.run.RunCommands.RecordDeliveryFailureCommand;
import dev.autoplane.platform.Ids;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Push delivery (docs/runs.md "Push delivery"): POSTs each run of an automation with {@code delivery: {url}} to
 * that URL, signed per Standard Webhooks. Every {@code poll-interval} (and when a run is queued on this node) one
 * pass (1) leases due scheduled runs of push automations as the automation's own executor (lease ids
 * {@code delivery:…}, so the attempt is counted and the lease model holds), then (2) claims the sends owed now —
 * running runs leased by delivery whose {@code delivery_due_at} has come, derived from the run events, so a restart
 * resumes them — and hands each to a bounded pool. 2xx → {@code delegated}; a timeout, reset, 5xx or 429 →
 * {@code delivery_error} and a later try (the run decides when: {@code DeliveryBackoff}); any other status (3xx
 * included: redirects are not followed) fails the attempt through the run's retry policy; an address the SSRF rule
 * now refuses fails it for good. Bounds: {@code threads} senders, a queue of {@code queue} sends, at most
 * {@code per-automation} sends of one automation at a time on a node; nothing is claimed beyond what fits.
 */
@Component
public class PushDelivery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PushDelivery.class);
    static final String SECRET_FIELD = "delivery_signing_secret";
    /** How long a claim to lease reserves a row while its lease command is on its way. */
    static final Duration LEASE_CLAIM = Duration.ofSeconds(10);

    private final DeliveryQueue queue;
    private final DeliveryTargets targets;
    private final DeliveryAddressGuard guard;
    private final FieldCipher cipher;
    private final CommandGateway commands;
    private final RunLeases leases;
    private final RunQueueSignal signal;
    private final tools.jackson.databind.ObjectMapper json;
    private final Clock clock;
    private final boolean enabled;
    private final int threads;
    private final int queueSize;
    private final int perAutomation;
    private final Duration timeout;
    private final Duration pollInterval;
    private final HttpClient http;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private ThreadPoolExecutor pool;
    private ScheduledExecutorService timer;
    private Disposable wakeUps;
    private final java.util.concurrent.atomic.AtomicBoolean wakeUpPending = new java.util.concurrent.atomic.AtomicBoolean();

    public PushDelivery(DeliveryQueue queue, DeliveryTargets targets, DeliveryAddressGuard guard, FieldCipher cipher,
                        CommandGateway commands, RunLeases leases, RunQueueSignal signal,
                        tools.jackson.databind.ObjectMapper json, Clock clock,
                        @Value("${autoplane.scheduler.enabled:true}") boolean enabled,
                        @Value("${autoplane.delivery.threads:8}") int threads,
                        @Value("${autoplane.delivery.queue:64}") int queueSize,
                        @Value("${autoplane.delivery.per-automation:2}") int perAutomation,
                        @Value("${autoplane.delivery.connect-timeout:PT5S}") Duration connectTimeout,
                        @Value("${autoplane.delivery.timeout:PT30S}") Duration timeout,
                        @Value("${autoplane.delivery.poll-interval:PT1S}") Duration pollInterval) {
        this.queue = queue;
        this.targets = targets;
        this.guard = guard;
        this.cipher = cipher;
        this.commands = commands;
        this.leases = leases;
        this.signal = signal;
        this.json = json;
        this.clock = clock;
        this.enabled = enabled;
        this.threads = threads;
        this.queueSize = queueSize;
        this.perAutomation = perAutomation;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * One pass: leases what is due, then hands the sends owed now to the pool. Answers how many sends it handed
     * over. Tests call it directly (with the timer stopped or not: passes do not overlap).
     */
    public synchronized int deliverOnce() {
        if (pool == null) {
            return 0;
        }
        Instant now = clock.instant();
        int free = threads + queueSize - pool.getActiveCount() - pool.getQueue().size();
        Map<String, Integer> planned = new HashMap<>();
        for (Owed o : queue.claimToLease(now, free, LEASE_CLAIM, busy())) {
            if (load(o.automationId()) + planned.getOrDefault(o.automationId(), 0) >= perAutomation) {
                queue.release(o.runId()); // this automation's sends are at their limit: it waits its turn
                continue;
            }
            try {
                commands.sendAndWait(new LeaseRunCommand(o.runId(), o.workspaceId(),
                        RunLeases.DELIVERY_LEASE_PREFIX + Ids.newId(), Actor.serviceAccount(o.automationId()), null,
                        leases.leaseDuration(), now));
                planned.merge(o.automationId(), 1, Integer::sum);
            } catch (RuntimeException refused) {
                log.debug("run {} was claimed for delivery but not leased: {}", o.runId(), refused.toString());
                queue.release(o.runId());
            }
        }
        int handed = 0;
        Duration sendClaim = timeout.plus(leases.leaseDuration());
        for (Owed o : queue.claimToSend(now, free, sendClaim, busy())) {
            AtomicInteger count = inFlight.computeIfAbsent(o.automationId(), k -> new AtomicInteger());
            if (count.incrementAndGet() > perAutomation) {
                done(o.automationId());
                queue.release(o.runId());
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        send(o);
                    } catch (RuntimeException e) {
                        log.warn("delivering run {} failed: {}", o.runId(), e.toString());
                        queue.release(o.runId());
                    } finally {
                        done(o.automationId());
                    }
                });
                handed++;
            } catch (RejectedExecutionException full) {
                done(o.automationId());
                queue.release(o.runId());
            }
        }
        return handed;
    }

    /** Whether no send is in flight on this node (tests wait for it). */
    public boolean idle() {
        return pool == null || (pool.getActiveCount() == 0 && pool.getQueue().isEmpty());
    }

    private int load(String automationId) {
        AtomicInteger n = inFlight.get(automationId);
        return n == null ? 0 : n.get();
    }

    private Set<String> busy() {
        Set<String> busy = new java.util.HashSet<>();
        inFlight.forEach((automation, n) -> {
            if (n.get() >= perAutomation) {
                busy.add(automation);
            }
        });
        return busy;
    }

    private void done(String automationId) {
        inFlight.computeIfPresent(automationId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** One send of a claimed run, and its outcome reported to the run. */
    void send(Owed o) {
        Actor executor = Actor.serviceAccount(o.automationId());
        Optional<Target> target = targets.find(o.automationId());
        if (target.isEmpty()) {
            fail(o, executor, "delivery was switched off before the run was sent", true);
            return;
        }
        Optional<String> refused = guard.check(target.get().url());
        if (refused.isPresent()) {
            fail(o, executor, "delivery_refused: delivery.url " + refused.get(), false);
            return;
        }
        Instant now = clock.instant();
        List<String> secrets = new ArrayList<>();
        cipher.decrypt(o.automationId(), SECRET_FIELD, target.get().secret()).ifPresent(secrets::add);
        Target t = target.get();
        if (t.previousSecret() != null && t.previousValidUntil() != null && now.isBefore(t.previousValidUntil())) {
            cipher.decrypt(o.automationId(), SECRET_FIELD, t.previousSecret()).ifPresent(secrets::add);
        }
        if (secrets.isEmpty()) {
            fail(o, executor, "delivery_refused: the signing secret is no longer readable (its key was destroyed)", false);
            return;
        }
        LeasedRun leased;
        try {
            // still held by this delivery? then the lease is extended over the send (it may have waited in the queue)
            commands.sendAndWait(new HeartbeatRunCommand(o.runId(), o.workspaceId(), o.leaseId(), executor, null,
                    leases.leaseDuration(), now));
            // the delivery's own lease asked again: answers the run and its definition, records nothing
            leased = commands.sendAndWait(new LeaseRunCommand(o.runId(), o.workspaceId(), o.leaseId(), executor, null,
                    leases.leaseDuration(), now));
        } catch (RuntimeException gone) {
            log.debug("run {} is no longer held by its delivery: {}", o.runId(), gone.toString());
            return; // canceled, expired or reported meanwhile: nothing owed
        }
        if (!o.leaseId().equals(leased.leaseId())) {
            return;
        }
        byte[] body = json.writeValueAsBytes(LeasedRunDocument.of(leased));
        String webhookId = o.runId() + "_" + leased.run().attempt();
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(t.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "autoplane-delivery")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signature(secrets, webhookId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response;
        try {
            response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            transientFailure(o, "timeout: no answer within " + timeout.toSeconds() + " s", null);
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = cause instanceof HttpTimeoutException ? "timeout: " + cause.getMessage()
                    : cause instanceof IOException ? "connection failed: " + describe(cause)
                    : "send failed: " + describe(cause);
            transientFailure(o, why, null);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.release(o.runId());
            return;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            commands.sendAndWait(new DelegateRunCommand(o.runId(), o.workspaceId(), o.leaseId(), executor, null,
                    "webhook " + webhookId, clock.instant()));
        } else if (status == 429 || status >= 500) {
            transientFailure(o, "HTTP " + status, retryAfter(response, clock.instant()));
        } else {
            fail(o, executor, "delivery rejected: HTTP " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""), true);
        }
    }

    private void transientFailure(Owed o, String error, Duration retryAfter) {
        commands.sendAndWait(new RecordDeliveryFailureCommand(o.runId(), o.leaseId(), error, retryAfter,
                leases.leaseDuration(), clock.instant()));
    }

    private void fail(Owed o, Actor executor, String error, boolean retryable) {
        try {
            commands.sendAndWait(new FailRunCommand(o.runId(), o.workspaceId(), o.leaseId(), executor, null, error,
                    retryable, clock.instant()));
        } catch (RuntimeException gone) {
            log.debug("run {} could not be failed by its delivery: {}", o.runId(), gone.toString());
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** {@code Retry-After} as seconds or an HTTP date; {@code null} when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response, Instant now) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    // --- lifecycle

    @Override
    public synchronized void start() {
        if (!enabled) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize), r -> {
            Thread thread = new Thread(r, "push-delivery-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "push-delivery-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::pass, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        wakeUps = signal.queued().subscribe(ws -> {
            ScheduledExecutorService t = timer;
            if (t != null && wakeUpPending.compareAndSet(false, true)) { // many fires at once: one extra pass
                try {
                    t.execute(() -> {
                        wakeUpPending.set(false);
                        pass();
                    });
                } catch (RejectedExecutionException stopping) {
                    wakeUpPending.set(false);
                }
            }
        });
    }

    private void pass() {
        try {
            deliverOnce();
        } catch (RuntimeException e) {
            log.warn("the push delivery pass failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (wakeUps != null) {
            wakeUps.dispose();
            wakeUps = null;
        }
        if (timer != null) {
            timer.shutdown();
            timer = null;
        }
        if (pool != null) {
            pool.shutdown(); // sends in flight finish (bounded by the timeout); what is owed stays owed in the queue
            try {
                pool.awaitTermination(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool = null;
        }
    }

    @Override
    public boolean isRunning() {
        return pool != null;
    }
}
