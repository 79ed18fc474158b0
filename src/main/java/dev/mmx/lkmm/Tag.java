package dev.mmx.lkmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The annotations an event carries, as bits: linux-kernel.def's syntactic tags
 * on accesses ({@code __load{ONCE}}, {@code __xchg{MB}}, ...) and the kind of a
 * fence ({@code __fence{rmb}}, ...). linux-kernel.bell turns the access tags
 * into the semantic sets Acquire, Release and Mb (see {@link Bell}).
 */
final class Tag {
    private Tag() {}

    // access annotations (linux-kernel.bell: enum Accesses)
    static final int ONCE = 1;
    static final int ACQUIRE = 1 << 1;
    static final int RELEASE = 1 << 2;
    static final int MB = 1 << 3;
    /** The read of a read-modify-write that returns nothing (atomic_inc, ...). */
    static final int NORETURN = 1 << 4;
    /** Issued by a read-modify-write, whether it succeeded or not (herd7's RMW set). */
    static final int ATOMIC = 1 << 5;
    static final int SRCU_LOCK = 1 << 6;
    static final int SRCU_UNLOCK = 1 << 7;

    // fences (linux-kernel.bell: enum Barriers)
    static final int F_MB = 1 << 8;
    static final int F_RMB = 1 << 9;
    static final int F_WMB = 1 << 10;
    static final int F_BARRIER = 1 << 11;
    static final int F_RCU_LOCK = 1 << 12;
    static final int F_RCU_UNLOCK = 1 << 13;
    static final int F_SYNC_RCU = 1 << 14;
    static final int F_BEFORE_ATOMIC = 1 << 15;
    static final int F_AFTER_ATOMIC = 1 << 16;
    static final int F_AFTER_SPINLOCK = 1 << 17;
    static final int F_AFTER_UNLOCK_LOCK = 1 << 18;
    static final int F_AFTER_SRCU_READ_UNLOCK = 1 << 19;

    private static final String[] NAMES = {"once", "acquire", "release", "mb", "noreturn", "atomic", "srcu-lock",
        "srcu-unlock", "smp_mb", "smp_rmb", "smp_wmb", "barrier", "rcu_read_lock", "rcu_read_unlock",
        "synchronize_rcu", "smp_mb__before_atomic", "smp_mb__after_atomic", "smp_mb__after_spinlock",
        "smp_mb__after_unlock_lock", "smp_mb__after_srcu_read_unlock"};

    static boolean has(int tags, int tag) {
        return (tags & tag) != 0;
    }

    /** The tags in words, for traces and messages. */
    static List<String> names(int tags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((tags & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
