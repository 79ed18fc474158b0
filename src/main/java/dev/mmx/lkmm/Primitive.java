package dev.mmx.lkmm;

/**
 * Kernel primitives that LKMM gives events of their own but that the compiled
 * program cannot express: {@link Prepass} replaces each call by a placeholder
 * statement that compiles to an ordinary instruction at the same source
 * position, and records here what the call was.
 */
public enum Primitive {
    /** barrier(): LKMM's F[barrier], a compiler barrier (it matters to the data-race rules). */
    BARRIER("barrier"),
    RCU_READ_LOCK("rcu_read_lock"),
    RCU_READ_UNLOCK("rcu_read_unlock"),
    SYNCHRONIZE_RCU("synchronize_rcu"),
    /** srcu_read_lock(s), srcu_down_read(s): linux-kernel.def's {@code __load{srcu-lock}(*s)}. */
    SRCU_READ_LOCK("srcu_read_lock"),
    /** srcu_read_unlock(s, idx), srcu_up_read(s, idx): {@code __store{srcu-unlock}(*s, idx)}. */
    SRCU_READ_UNLOCK("srcu_read_unlock"),
    SYNCHRONIZE_SRCU("synchronize_srcu"),
    MB_AFTER_SRCU_READ_UNLOCK("smp_mb__after_srcu_read_unlock"),
    /** spin_is_locked(s): lock.cat's RL (returns true) or RU (returns false). */
    SPIN_IS_LOCKED("spin_is_locked");

    public final String word;

    Primitive(String word) {
        this.word = word;
    }
}
