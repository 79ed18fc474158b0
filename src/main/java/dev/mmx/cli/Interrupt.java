package dev.mmx.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a check: the shutdown hook asks the explorer to stop and
 * waits (briefly) until the command has printed its summary, so the user
 * sees the statistics so far instead of a dead terminal.
 */
final class Interrupt {
    private final AtomicBoolean stop;
    private final CountDownLatch printed = new CountDownLatch(1);
    private final Thread hook;

    private Interrupt(AtomicBoolean stop) {
        this.stop = stop;
        this.hook = new Thread(() -> {
            stop.set(true);
            try {
                printed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mmx-interrupt");
    }

    static Interrupt install(AtomicBoolean stop) {
        Interrupt i = new Interrupt(stop);
        try {
            Runtime.getRuntime().addShutdownHook(i.hook);
        } catch (IllegalStateException e) {
            // already shutting down: nothing to install
        }
        return i;
    }

    /** Called once the summary is printed; true when the run was interrupted. */
    boolean done() {
        printed.countDown();
        if (!stop.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                return true; // shutdown began meanwhile
            }
            return false;
        }
        return true;
    }
}
