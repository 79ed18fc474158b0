package dev.mmx.lkmm;

/**
 * The kinds of event herd7's C front end and lock.cat give an LKMM execution.
 * {@link #READ} and {@link #WRITE} are memory accesses (the halves of an
 * atomic read-modify-write, srcu_read_lock and srcu_read_unlock among them);
 * the lock kinds are lock.cat's LKR, LKW, UL, LF, RL and RU.
 */
enum EventKind {
    /** IW: the initial write of a location. */
    INIT,
    READ,
    WRITE,
    /** F: a barrier or an RCU marker (rcu_read_lock, synchronize_rcu, ...). */
    FENCE,
    /** LKR: the read half of spin_lock() or of a successful spin_trylock(). */
    LOCK_READ,
    /** LKW: the write half of spin_lock() or of a successful spin_trylock(). */
    LOCK_WRITE,
    /** UL: spin_unlock(). */
    UNLOCK,
    /** LF: a failed spin_trylock(). */
    LOCK_FAIL,
    /** RL: spin_is_locked() that returns true. */
    READ_LOCKED,
    /** RU: spin_is_locked() that returns false. */
    READ_UNLOCKED,
    /** synchronize_srcu(): a grace period of one srcu_struct (it has a location, and is no access). */
    SYNC_SRCU;

    /** Whether lock.cat counts it among the reads R (once the lock events join). */
    boolean read() {
        return this == READ || this == LOCK_READ || this == LOCK_FAIL || this == READ_LOCKED
                || this == READ_UNLOCKED;
    }

    /** Whether it is among the writes W (init writes included, unlocks too once lock.cat adds them). */
    boolean write() {
        return this == INIT || this == WRITE || this == LOCK_WRITE || this == UNLOCK;
    }

    /** Whether it touches a location (the relation loc relates it). */
    boolean located() {
        return this != FENCE;
    }

    /** Whether it is one of lock.cat's lock events. */
    boolean lock() {
        return this == LOCK_READ || this == LOCK_WRITE || this == UNLOCK || this == LOCK_FAIL
                || this == READ_LOCKED || this == READ_UNLOCKED;
    }
}
