package dev.mmx.memory;

/**
 * The bounds that keep weak-memory state finite: store-buffer entries (tso) and
 * instructions in flight per CPU (arm). A run that meets one says so
 * ({@link dev.mmx.system.TransitionSystem#boundReached}) rather than pass.
 */
public record Bounds(int storeBuffer, int armWindow) {
    public static final Bounds DEFAULT = new Bounds(4, 32);

    /** The largest store buffer a run may ask for. */
    public static final int MAX_STORE_BUFFER = 64;

    public Bounds withStoreBuffer(int entries) {
        return new Bounds(entries, armWindow);
    }
}
