package dev.mmx.system;

/**
 * One compiled instruction of a thread. Each is one step of the thread except
 * {@link Branch}, {@link Jump} and {@link Clear}, which are folded into the step
 * before them (they touch nothing another thread can see).
 */
public sealed interface Instr {
    /** The note of the kernel kit's schedule(): a deadlock with a CPU asleep there is a lost wake-up. */
    String SLEEP_NOTE = "sleeps until a wake_up() makes the task runnable (at once if one already did)";

    Src src();

    /**
     * Plain (C), ONCE, acquire and release accesses. {@code ACQUIRE_PC} is AArch64's
     * LDAPR (RCpc): an acquire that an earlier release store does not order.
     */
    enum Access { PLAIN, ONCE, ACQUIRE, RELEASE, ACQUIRE_PC;

        /** Whether later accesses wait for this load (LDAR and LDAPR). */
        public boolean acquire() {
            return this == ACQUIRE || this == ACQUIRE_PC;
        }
    }

    /**
     * The ordering a read-modify-write carries on weak memory models: acquire on its
     * read, release on its write, both ({@code FULL} also orders later accesses after
     * the write), or neither. {@code ACQUIRE_RELEASE} is an AArch64 exclusive pair
     * LDAXR/STLXR: acquire read and release write, but unlike {@code FULL} nothing
     * orders later accesses after the write.
     */
    enum Ordering { FULL, ACQUIRE, RELEASE, RELAXED, ACQUIRE_RELEASE }

    /**
     * Where a read-modify-write comes from: a kernel primitive, or an AArch64
     * instruction of a litmus test, an LSE atomic (SWP, LDADD, CAS, ...) or an
     * exclusive pair (LDXR ... STXR) whose store may fail. They differ on arm only
     * (see the language reference).
     */
    enum RmwForm { KERNEL, LSE, EXCLUSIVE }

    enum FenceKind {
        MB("smp_mb"), RMB("smp_rmb"), WMB("smp_wmb"), MB_BEFORE_ATOMIC("smp_mb__before_atomic"),
        MB_AFTER_ATOMIC("smp_mb__after_atomic"), MB_AFTER_UNLOCK_LOCK("smp_mb__after_unlock_lock"),
        MB_AFTER_SPINLOCK("smp_mb__after_spinlock"), ISB("isb");

        public final String word;

        FenceKind(String word) {
            this.word = word;
        }
    }

    /** Read-modify-write operations. */
    enum RmwOp {
        /** Store the operand. */
        XCHG,
        /** If old == expected, store the operand. */
        CMPXCHG,
        /** Add the operand (negative to subtract). */
        ADD,
        /** Add the operand unless old == expected. */
        ADD_UNLESS,
        /** Or in the operand (a bit mask): set_bit. */
        OR,
        /** Clear the operand's bits: clear_bit. */
        AND_NOT,
        /** Flip the operand's bits: change_bit. */
        XOR,
        /** Or in the operand unless those bits (the expected value) are already set: test_and_set_bit_lock. */
        OR_UNLESS_SET
    }

    /** What a read-modify-write returns. */
    enum RmwResult {
        OLD, NEW, NEW_IS_ZERO, SUCCESS,
        /** Whether the old value had the operand's bit set: test_and_set_bit and friends. */
        OLD_BIT,
        /** Whether bit 7 of the new value is set: clear_bit_unlock_is_negative_byte. */
        NEGATIVE_BYTE,
        NONE
    }

    enum LockAction {
        SPIN_LOCK, SPIN_UNLOCK, SPIN_TRYLOCK, DOWN_READ, UP_READ, DOWN_WRITE, UP_WRITE, DOWN_READ_TRYLOCK,
        DOWN_WRITE_TRYLOCK;

        public boolean acquires() {
            return this == SPIN_LOCK || this == SPIN_TRYLOCK || this == DOWN_READ || this == DOWN_WRITE
                    || this == DOWN_READ_TRYLOCK || this == DOWN_WRITE_TRYLOCK;
        }

        public boolean trylock() {
            return this == SPIN_TRYLOCK || this == DOWN_READ_TRYLOCK || this == DOWN_WRITE_TRYLOCK;
        }

        public boolean read() {
            return this == DOWN_READ || this == UP_READ || this == DOWN_READ_TRYLOCK;
        }
    }

    /** reg := memory[ref]. */
    record Load(Src src, int reg, Ref ref, Access access) implements Instr {}

    /** memory[ref] := value. */
    record Store(Src src, Ref ref, CExpr value, Access access) implements Instr {}

    /**
     * An atomic read-modify-write; {@code reg} receives the result (-1: none). An
     * {@link RmwForm#EXCLUSIVE} pair writes 0 (stored) or 1 (failed) to {@code status},
     * and its operand is evaluated with {@code reg} already holding the value read
     * (the register work between LDXR and STXR).
     */
    record Rmw(Src src, RmwOp op, RmwResult result, int reg, Ref ref, CExpr operand, CExpr expected,
               Ordering ordering, RmwForm form, int status) implements Instr {
        /** A kernel primitive. */
        public Rmw(Src src, RmwOp op, RmwResult result, int reg, Ref ref, CExpr operand, CExpr expected,
                   Ordering ordering) {
            this(src, op, result, reg, ref, operand, expected, ordering, RmwForm.KERNEL, -1);
        }

        /** An exclusive pair, whose store may fail. */
        public boolean exclusive() {
            return form == RmwForm.EXCLUSIVE;
        }

        /**
         * Whether it may read without writing: a failed cmpxchg, add_unless at the
         * limit, test_and_set_bit_lock finding the bit set, a failed store exclusive.
         */
        public boolean conditional() {
            return exclusive() || switch (op) {
                case XCHG, ADD, OR, AND_NOT, XOR -> false;
                case CMPXCHG, ADD_UNLESS, OR_UNLESS_SET -> true;
            };
        }

        /** Whether it writes, given the old value and the evaluated expected value. */
        public boolean writes(int old, int expectedValue) {
            return switch (op) {
                case XCHG, ADD, OR, AND_NOT, XOR -> true;
                case CMPXCHG, ADD_UNLESS -> (old == expectedValue) == (op == RmwOp.CMPXCHG);
                case OR_UNLESS_SET -> (old & expectedValue) != expectedValue;
            };
        }

        public int newValue(int old, int operandValue) {
            return switch (op) {
                case ADD, ADD_UNLESS -> old + operandValue;
                case XCHG, CMPXCHG -> operandValue;
                case OR, OR_UNLESS_SET -> old | operandValue;
                case AND_NOT -> old & ~operandValue;
                case XOR -> old ^ operandValue;
            };
        }

        public int resultValue(int old, int newValue, boolean wrote, int operandValue) {
            return switch (result) {
                case OLD -> old;
                case NEW -> newValue;
                case NEW_IS_ZERO -> newValue == 0 ? 1 : 0;
                case SUCCESS -> wrote ? 1 : 0;
                case OLD_BIT -> (old & operandValue) != 0 ? 1 : 0;
                case NEGATIVE_BYTE -> (newValue & 0x80) != 0 ? 1 : 0;
                case NONE -> 0;
            };
        }
    }

    record Fence(Src src, FenceKind kind) implements Instr {}

    /** A register or ghost cell := value; value reads no shared memory. */
    record Assign(Src src, Ref target, CExpr value) implements Instr {}

    /** Blocks until cond holds; cond may read shared memory through the CPU's view. */
    record Await(Src src, CExpr cond) implements Instr {}

    /** Folded: continue at the next instruction if cond holds, else at {@code elseTarget}. */
    record Branch(Src src, CExpr cond, int elseTarget) implements Instr {}

    /** Folded: continue at {@code target}. */
    record Jump(Src src, int target) implements Instr {}

    /** Folded: zero hidden temporaries once they are dead, so they split no states. */
    record Clear(Src src, int[] slots) implements Instr {}

    /** Nondeterministic choice of one of the branches starting at {@code targets}. */
    record Either(Src src, int[] targets) implements Instr {}

    /** reg := any value in lo..hi. */
    record Choose(Src src, int reg, int lo, int hi) implements Instr {}

    /** An execution where cond is false is discarded (neither a violation nor a deadlock). */
    record Assume(Src src, CExpr cond) implements Instr {}

    record Assert(Src src, CExpr cond, String property, String message) implements Instr {}

    /** A lock operation; {@code reg} receives a trylock's success (-1: none). */
    record LockOp(Src src, LockAction action, Ref lock, int reg) implements Instr {}

    /**
     * A block executed as one step, acting on memory directly (a full barrier).
     * Its body has its own instruction numbering and may only wait (Await) at its start.
     */
    record Atomic(Src src, Instr[] body, String note, boolean fence, X86Only x86Only) implements Instr {
        /**
         * A user's atomic block, a full barrier. A kernel primitive's carries a
         * {@code note} saying what it does (its trace shows only the state it
         * changed); one with {@code fence} false waits for no store buffer and, on
         * arm, runs in program order at the head of the window without holding
         * back later accesses. {@code x86Only} names what of it holds only on
         * x86 (sc and tso follow x86), not on arm64.
         */
        public Atomic(Src src, Instr[] body) {
            this(src, body, null, true, X86Only.NOTHING);
        }

        /** Whether the leading await, if any, holds the block back on this architecture. */
        public boolean waitsOn(boolean x86) {
            return x86 || x86Only != X86Only.WAIT;
        }

        /** Whether the block is a full barrier on this architecture. */
        public boolean fenceOn(boolean x86) {
            return fence && (x86 || x86Only != X86Only.FENCE);
        }
    }

    /** What of a kernel primitive's atomic block holds only on x86. */
    enum X86Only {
        NOTHING,
        /** The leading await: an IPI shootdown's wait, where arm64 broadcasts a TLBI that waits for no one. */
        WAIT,
        /** The full barrier: a serialising instruction (INVLPG), where arm64's DSB NSH orders only for this CPU. */
        FENCE
    }

    /** The thread has finished. */
    record End(Src src) implements Instr {}

    /** True for instructions folded into the preceding step. */
    static boolean folded(Instr i) {
        return i instanceof Branch || i instanceof Jump || i instanceof Clear;
    }

    /** Where control may go after instruction {@code x} of {@code code} (none after End). */
    static int[] successors(Instr[] code, int x) {
        Instr i = code[x];
        if (i instanceof End) {
            return new int[0];
        } else if (i instanceof Jump j) {
            return new int[] {j.target()};
        } else if (i instanceof Branch b) {
            return new int[] {x + 1, b.elseTarget()};
        } else if (i instanceof Either e) {
            return e.targets().clone();
        } else if (i instanceof Load || i instanceof Store || i instanceof Rmw || i instanceof Fence
                || i instanceof Assign || i instanceof Await || i instanceof Clear || i instanceof Choose
                || i instanceof Assume || i instanceof Assert || i instanceof LockOp || i instanceof Atomic) {
            return new int[] {x + 1};
        }
        throw new IllegalStateException("an instruction with no successors worked out: " + i);
    }
}
