package dev.autoplane.command.webhook;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per endpoint, a token bucket over the verified deliveries of this node: {@code
 * autoplane.webhooks.rate-limit.per-second} (default 100) refilled continuously, up to {@code
 * autoplane.webhooks.rate-limit.burst} (default 200). Only verified deliveries count: forged ones
 * cannot use up a sender's allowance. Over it a delivery is answered {@code 429} with
 * {@code Retry-After}.
 */
@Component
class WebhookRateLimiter {

    private static final int MAX_BUCKETS = 100_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    WebhookRateLimiter(@Value("${autoplane.webhooks.rate-limit.per-second:100}") double perSecond,
                       @Value("${autoplane.webhooks.rate-limit.burst:200}") double burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
    }

    /** 0 when the delivery may go on; else the seconds to wait. */
    long acquire(String endpointKey, long nowNanos) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear(); // endpoints are bounded in practice; never grow without limit
        }
        double[] b = buckets.computeIfAbsent(endpointKey, k -> new double[]{burst, nowNanos});
        synchronized (b) {
            double elapsed = Math.max(0, (nowNanos - b[1]) / 1e9);
            b[0] = Math.min(burst, b[0] + elapsed * perSecond);
            b[1] = nowNanos;
            if (b[0] >= 1) {
                b[0] -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b[0]) / perSecond));
        }
    }
}
