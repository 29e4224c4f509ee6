package dev.autoplane.platform.concurrent;

/**
 * One long-running daemon thread of a component (the scheduling engine, the run stream's tailer):
 * its loop runs while {@link #running()}; {@link #stop} asks it to end and waits. The thread is never
 * interrupted: an interrupt during file I/O would close the embedded database's file.
 */
public final class BackgroundThread {

    private volatile boolean running;
    private Thread thread;

    /** Starts {@code loop} on a new daemon thread named {@code name}. */
    public synchronized void start(String name, Runnable loop) {
        running = true;
        thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    public boolean running() {
        return running;
    }

    /** Asks the loop to end, runs {@code wake} (to rouse it from a wait), and waits up to 20 s for it. */
    public void stop(Runnable wake) {
        running = false;
        wake.run();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
