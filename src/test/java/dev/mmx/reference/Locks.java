package dev.mmx.reference;

/**
 * The lock primitives, as the language reference states them. A spinlock's or
 * mutex's word is 0 when free, else its holder's CPU + 1; an rwsem's or
 * rwlock's word is a mask of reader CPUs when positive, or -(writer + 1).
 * Waiting is not fair and has no queue. Taking a lock one already holds is
 * the fault double_lock; releasing one not held is unlock_not_held.
 */
final class Locks {
    private Locks() {}

    static boolean isLockPrimitive(String f) {
        return switch (f) {
            case "spin_lock", "mutex_lock", "spin_trylock", "mutex_trylock", "spin_unlock", "mutex_unlock",
                 "down_read", "read_lock", "down_read_trylock", "read_trylock", "up_read", "read_unlock",
                 "down_write", "write_lock", "down_write_trylock", "write_trylock", "up_write", "write_unlock" -> true;
            default -> false;
        };
    }

    /** Whether {@code f} may wait: a blocking acquire. */
    static boolean blocks(String f) {
        return switch (f) {
            case "spin_lock", "mutex_lock", "down_read", "read_lock", "down_write", "write_lock" -> true;
            default -> false;
        };
    }

    /** Whether CPU {@code t}'s blocking acquire can be taken now (one it already holds can: it faults). */
    static boolean available(String f, int word, int t) {
        int me = t + 1;
        boolean reading = word > 0 && (word & (1 << t)) != 0;
        return switch (f) {
            case "spin_lock", "mutex_lock" -> word == 0 || word == me;
            case "down_read", "read_lock" -> word >= 0 || word == -me;
            case "down_write", "write_lock" -> word == 0 || word == -me || reading;
            default -> throw new IllegalStateException(f + " does not wait");
        };
    }

    /** Performs {@code f} on {@code memory[cell]} for CPU {@code t}; a trylock's result (1 taken, 0 busy), else 0. */
    static int apply(String f, int[] memory, int cell, int t) {
        int word = memory[cell];
        int me = t + 1;
        int bit = 1 << t;
        boolean reading = word > 0 && (word & bit) != 0;
        switch (f) {
            case "spin_lock", "mutex_lock" -> {
                if (word == me) {
                    throw new Eval.Fault("double_lock", "takes a lock it holds");
                }
                memory[cell] = me;
            }
            case "spin_trylock", "mutex_trylock", "down_write_trylock", "write_trylock" -> {
                if (word != 0) {
                    return 0;
                }
                memory[cell] = f.startsWith("spin") || f.startsWith("mutex") ? me : -me;
                return 1;
            }
            case "spin_unlock", "mutex_unlock" -> {
                if (word != me) {
                    throw new Eval.Fault("unlock_not_held", "releases a lock it does not hold");
                }
                memory[cell] = 0;
            }
            case "down_read", "read_lock", "down_read_trylock", "read_trylock" -> {
                boolean tryOnly = f.endsWith("trylock");
                // reading twice is a self-deadlock waiting to happen (a writer queued between the two would
                // block the second); a trylock that would succeed takes it twice just the same
                if (reading || !tryOnly && word == -me) {
                    throw new Eval.Fault("double_lock", "takes a lock for read that it holds");
                }
                if (word < 0) {
                    return 0;
                }
                memory[cell] = word | bit;
                return 1;
            }
            case "up_read", "read_unlock" -> {
                if (!reading) {
                    throw new Eval.Fault("unlock_not_held", "releases a read lock it does not hold");
                }
                memory[cell] = word & ~bit;
            }
            case "down_write", "write_lock" -> {
                if (word == -me || reading) {
                    throw new Eval.Fault("double_lock", "takes a lock for write that it holds");
                }
                memory[cell] = -me;
            }
            case "up_write", "write_unlock" -> {
                if (word != -me) {
                    throw new Eval.Fault("unlock_not_held", "releases a write lock it does not hold");
                }
                memory[cell] = 0;
            }
            default -> throw new IllegalStateException("not a lock primitive: " + f);
        }
        return 0;
    }
}
