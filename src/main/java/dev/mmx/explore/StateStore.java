package dev.mmx.explore;

/** The visited set: states in, small ids out. */
public interface StateStore {
    /** The new state's id (>= 0), or -(id + 1) when the state was already stored. */
    long add(int[] state);

    /** The id of a stored state, or -1 (without adding it). */
    int find(int[] state);

    /** The state stored under {@code id}. */
    int[] get(int id);

    int size();

    /** Bytes held for the stored states (table, arena, per-state words). */
    long bytes();
}
