package dev.autoplane.bench;

/** CPU time (and bytes written) a process has used so far: what the benchmarks divide by the work done (steadier than rates on shared cores). */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Of a process this bench started; {@code -1} where the platform does not tell. */
    static double of(Process p) {
        return p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /** Bytes a process this bench started has caused to be written to storage so far ({@code /proc/<pid>/io}); {@code -1} where the platform does not tell. */
    static long written(Process p) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Of this JVM (an in-process benchmark: the app and the bench together). */
    static double own() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }
}
