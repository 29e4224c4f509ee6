package dev.autoplane.bench;

/** CPU time a process has used so far, in seconds: what the benchmarks divide by the work done (steadier than rates on shared cores). */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Of a process this bench started; {@code -1} where the platform does not tell. */
    static double of(Process p) {
        return p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /** Of this JVM (an in-process benchmark: the app and the bench together). */
    static double own() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }
}
