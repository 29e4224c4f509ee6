package dev.autoplane.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The closed-loop driver and the helpers the HTTP benchmarks share. */
final class ClosedLoop {

    /** One operation: answers how many requests it made, negative when that many failed. */
    interface Operation {
        int run() throws Exception;
    }

    private ClosedLoop() {
    }

    /**
     * {@code concurrency} threads repeat {@code operation} for {@code seconds}; answers {req/s, p50 ms,
     * p99 ms, max ms, errors} (an operation of n requests counts n latencies of a share each).
     */
    static double[] run(int concurrency, int seconds, Operation operation) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        int n = operation.run();
                        long per = (System.nanoTime() - t0) / Math.max(1, Math.abs(n));
                        for (int k = 0; k < Math.abs(n); k++) {
                            mine.add(per);
                        }
                        requests.addAndGet(Math.abs(n));
                        if (n < 0) {
                            errors.addAndGet(-n);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                latencies.add(mine.stream().mapToLong(Long::longValue).toArray());
                done.countDown();
            });
            t.setDaemon(true);
            t.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new double[]{requests.get() / elapsed, pct(all, 0.50), pct(all, 0.99), pct(all, 1.0), errors.get()};
    }

    /** The {@code p} quantile of sorted nanosecond latencies, in milliseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** The value after {@code name} among the arguments, or {@code fallback}. */
    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
