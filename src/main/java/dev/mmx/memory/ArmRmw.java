package dev.mmx.memory;

import dev.mmx.system.Instr;

/**
 * How ARMv8 orders the two events of a read-modify-write, after herd7's
 * aarch64.cat (7.58) and the instructions arm64 builds each kernel primitive
 * from. A pure policy over one instruction: the ARM machine asks it, and keeps
 * the events' state itself.
 *
 * <p>The kernel builds its RMWs two ways and picks one at boot: LL/SC (LDXR,
 * STXR, and DMB ISH after a fully ordered one) or LSE atomics (SWP, LDADD,
 * CAS, ... with A, L or AL). Where the two differ, mmx allows what either
 * allows.
 */
final class ArmRmw {
    private ArmRmw() {}

    /**
     * Whether later accesses wait for the read: {@code bob: [A | Q]; po; [M]}. The
     * acquire forms (LDAXR, SWPA, ...), the fully ordered ones (SWPAL; LDXR ...
     * STLXR then DMB ISH) and LDAXR ... STLXR.
     */
    static boolean acquire(Instr.Rmw x) {
        return switch (x.ordering()) {
            case ACQUIRE, FULL, ACQUIRE_RELEASE -> true;
            case RELEASE, RELAXED -> false;
        };
    }

    /** Whether the write waits for every earlier access: {@code bob: [M]; po; [L]}. */
    static boolean release(Instr.Rmw x) {
        return switch (x.ordering()) {
            case RELEASE, FULL, ACQUIRE_RELEASE -> true;
            case ACQUIRE, RELAXED -> false;
        };
    }

    /**
     * Whether later accesses also wait for the write: an AL atomic
     * ({@code bob: [range([A]; amo; [L])]; po; [M]}) or an exclusive pair followed by
     * DMB ISH, arm64's two builds of a fully ordered RMW. Not LDAXR ... STLXR alone.
     */
    static boolean full(Instr.Rmw x) {
        return x.ordering() == Instr.Ordering.FULL;
    }

    /**
     * Whether a failed attempt (a read that writes nothing) still orders later
     * accesses. An A-form CAS reads with acquire whether or not it stores, and an
     * LDAXR is an acquire load whether or not its store exclusive fails; so is
     * cmpxchg_acquire in both builds. A fully ordered kernel cmpxchg (or
     * add_unless) does not: its LL/SC build branches past the store exclusive
     * and the DMB ISH, leaving a plain LDXR. Nor does test_and_set_bit_lock
     * finding its bit set: the generic version reads the word with READ_ONCE
     * first and returns without the atomic.
     */
    static boolean failedReadIsAcquire(Instr.Rmw x) {
        return acquire(x) && !(x.form() == Instr.RmwForm.KERNEL && full(x)) && x.op() != Instr.RmwOp.OR_UNLESS_SET;
    }

    /**
     * Whether DMB ISHLD leaves the read unordered: a no-return atomic (STADD, or
     * LDADD with WZR; a relaxed void kernel atomic such as atomic_inc or set_bit is
     * STADD or STSET in the LSE build) reads with herd7's NoRet annotation, which
     * {@code bob}'s {@code [R \ NoRet]; po; [dmb.ld]} leaves out. A kernel primitive
     * with an ordering keeps a return register even when C drops the value.
     */
    static boolean noReturn(Instr.Rmw x) {
        return x.result() == Instr.RmwResult.NONE
                && (x.form() != Instr.RmwForm.KERNEL || x.ordering() == Instr.Ordering.RELAXED);
    }

    /**
     * Whether a later load may read the write before the read has happened. SWP's
     * write is no function of its read (herd7 gives the two only iico_order), so a
     * later load of the location may take its value early; an add needs the value
     * read, and an exclusive pair's store must first be known to succeed. A CAS
     * stores its operand if it succeeds: a later load may take that value on the
     * guess that it will, and the guess is checked when the read happens
     * ({@link #guessesSuccess}).
     */
    static boolean writeKnownBeforeRead(Instr.Rmw x) {
        return switch (x.op()) {
            case XCHG, CMPXCHG -> true;
            case ADD, ADD_UNLESS, OR, AND_NOT, XOR, OR_UNLESS_SET -> false;
        };
    }

    /**
     * Whether taking the write's value before the read is a guess that it succeeds:
     * CAS's write exists only if the read finds the expected value (its write is
     * control dependent on the comparison: herd7's iico_ctrl), so what depends on
     * the guess is a pick dependency, ordering later writes after the read.
     */
    static boolean guessesSuccess(Instr.Rmw x) {
        return x.op() == Instr.RmwOp.CMPXCHG;
    }

    /**
     * Whether the register may take its value before the read: an LSE CAS with a
     * destination, whose register herd7 lets take the value it compared with
     * (DataFromRRs) as well as the value read, when it succeeds. Kernel cmpxchg
     * returns the value read, as LKMM and the LL/SC build have it.
     */
    static boolean resultBeforeRead(Instr.Rmw x) {
        return x.form() == Instr.RmwForm.LSE && x.op() == Instr.RmwOp.CMPXCHG && x.reg() >= 0
                && x.result() == Instr.RmwResult.OLD;
    }
}
