package dev.mmx.resolve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel primitives mmx knows, by the names kernel developers use. Each
 * entry says what the call is, how many arguments it takes, which argument is
 * the memory location (or lock), and what it returns.
 */
public final class Builtins {
    private Builtins() {}

    /**
     * What a call is. {@code NONATOMIC_RMW} is a bitop's {@code __} form: a plain
     * load and a store of the word, two steps that another CPU may come between.
     */
    public enum Kind { LOAD, STORE, RMW, VOID_RMW, NONATOMIC_RMW, SEQ_WRITE, FENCE, LOCK, TRYLOCK, UNLOCK, NONDET }

    /** Result of a value-returning read-modify-write (or of test_bit). */
    public enum Result { OLD, NEW, NEW_IS_ZERO, SUCCESS, OLD_BIT, NEGATIVE_BYTE, NONE }

    /**
     * Kernel ordering suffixes: full (no suffix), _relaxed, _acquire, _release.
     * ACQUIRE_RELEASE is an AArch64 exclusive pair LDAXR/STLXR, and ACQUIRE_PC the
     * load LDAPR (no kernel primitive is either).
     */
    public enum Order { FULL, RELAXED, ACQUIRE, RELEASE, ONCE, PLAIN, ACQUIRE_RELEASE, ACQUIRE_PC }

    /** A kernel primitive, or an AArch64 instruction of a litmus test: an LSE atomic or an exclusive pair. */
    public enum Form { KERNEL, LSE, EXCLUSIVE }

    /** The prefix of the AArch64 instructions' names, which no identifier of a .mmx file can spell. */
    public static final String ARM64 = "arm64:";

    /**
     * One primitive. {@code loc} is the index of the location argument; for RMWs
     * {@code op} is xchg, cmpxchg, add or add_unless and {@code sign} multiplies the
     * added operand (dec/sub are adds of -1/-i). For bitops {@code op} is or,
     * andnot, xor, or_unless_set (or bit, for test_bit's load) and the operand is
     * a bit number.
     */
    public record Builtin(String name, Kind kind, int arity, int loc, Order order, String op, Result result,
                          int operandArg, int sign, boolean returnsBool, Form form) {
        /** A kernel primitive. */
        public Builtin(String name, Kind kind, int arity, int loc, Order order, String op, Result result,
                       int operandArg, int sign, boolean returnsBool) {
            this(name, kind, arity, loc, order, op, result, operandArg, sign, returnsBool, Form.KERNEL);
        }

        /** Whether the operand is a bit number of the int word at the location. */
        public boolean bitop() {
            return BIT_OPS.contains(op);
        }

        /** Whether the location is a sequence count (write_seqcount_begin, read_seqcount_retry, ...). */
        public boolean seqcount() {
            return op.startsWith("seq");
        }
    }

    /** waitqueue_active(&wq): the lockless check whether a kernel-kit wait queue has a task on it. */
    static final String WAITERS = "waiters";

    private static final java.util.Set<String> BIT_OPS = java.util.Set.of("or", "andnot", "xor", "or_unless_set",
            "bit");

    private static final Map<String, Builtin> TABLE = new LinkedHashMap<>();

    private static void add(Builtin b) {
        TABLE.put(b.name(), b);
    }

    private static void simple(String name, Kind kind, int arity, int loc, Order order) {
        add(new Builtin(name, kind, arity, loc, order, "", Result.NONE, -1, 1, false));
    }

    static {
        simple("READ_ONCE", Kind.LOAD, 1, 0, Order.ONCE);
        simple("smp_load_acquire", Kind.LOAD, 1, 0, Order.ACQUIRE);
        simple("atomic_read", Kind.LOAD, 1, 0, Order.ONCE);
        simple("atomic_read_acquire", Kind.LOAD, 1, 0, Order.ACQUIRE);
        // RCU's pointer accessors: a dependency-ordered load and a release store on x86-64 and arm64
        simple("rcu_dereference", Kind.LOAD, 1, 0, Order.ONCE);
        simple("WRITE_ONCE", Kind.STORE, 2, 0, Order.ONCE);
        simple("rcu_assign_pointer", Kind.STORE, 2, 0, Order.RELEASE);
        simple("smp_store_release", Kind.STORE, 2, 0, Order.RELEASE);
        simple("atomic_set", Kind.STORE, 2, 0, Order.ONCE);
        simple("atomic_set_release", Kind.STORE, 2, 0, Order.RELEASE);
        for (String suffix : new String[] {"", "_relaxed", "_acquire", "_release"}) {
            Order o = order(suffix);
            rmw("xchg" + suffix, 2, 0, o, "xchg", Result.OLD, 1, 1);
            rmw("atomic_xchg" + suffix, 2, 0, o, "xchg", Result.OLD, 1, 1);
            rmw("cmpxchg" + suffix, 3, 0, o, "cmpxchg", Result.OLD, 2, 1);
            rmw("atomic_cmpxchg" + suffix, 3, 0, o, "cmpxchg", Result.OLD, 2, 1);
            rmw("atomic_add_return" + suffix, 2, 1, o, "add", Result.NEW, 0, 1);
            rmw("atomic_sub_return" + suffix, 2, 1, o, "add", Result.NEW, 0, -1);
            rmw("atomic_inc_return" + suffix, 1, 0, o, "add", Result.NEW, -1, 1);
            rmw("atomic_dec_return" + suffix, 1, 0, o, "add", Result.NEW, -1, -1);
            rmw("atomic_fetch_add" + suffix, 2, 1, o, "add", Result.OLD, 0, 1);
            rmw("atomic_fetch_sub" + suffix, 2, 1, o, "add", Result.OLD, 0, -1);
            rmw("atomic_fetch_inc" + suffix, 1, 0, o, "add", Result.OLD, -1, 1);
            rmw("atomic_fetch_dec" + suffix, 1, 0, o, "add", Result.OLD, -1, -1);
        }
        rmw("atomic_dec_and_test", 1, 0, Order.FULL, "add", Result.NEW_IS_ZERO, -1, -1);
        rmw("atomic_sub_and_test", 2, 1, Order.FULL, "add", Result.NEW_IS_ZERO, 0, -1);
        rmw("atomic_inc_and_test", 1, 0, Order.FULL, "add", Result.NEW_IS_ZERO, -1, 1);
        rmw("atomic_add_unless", 3, 0, Order.FULL, "add_unless", Result.SUCCESS, 1, 1);
        rmw("atomic_inc_not_zero", 1, 0, Order.FULL, "add_unless", Result.SUCCESS, -1, 1);
        voidRmw("atomic_inc", 1, 0, -1, 1);
        voidRmw("atomic_dec", 1, 0, -1, -1);
        voidRmw("atomic_add", 2, 1, 0, 1);
        voidRmw("atomic_sub", 2, 1, 0, -1);
        bitops();
        seqcounts();
        // a plain load of the wait queue's list (list_empty() is READ_ONCE), with no barrier
        add(new Builtin("waitqueue_active", Kind.LOAD, 1, 0, Order.ONCE, WAITERS, Result.NONE, -1, 1, true));
        for (String f : new String[] {"smp_mb", "smp_rmb", "smp_wmb", "smp_mb__before_atomic",
                "smp_mb__after_atomic", "smp_mb__after_unlock_lock", "smp_mb__after_spinlock", "barrier", "isb"}) {
            simple(f, Kind.FENCE, 0, -1, Order.FULL);
        }
        for (String f : new String[] {"spin_lock", "mutex_lock", "down_read", "down_write", "read_lock",
                "write_lock"}) {
            simple(f, Kind.LOCK, 1, 0, Order.ACQUIRE);
        }
        for (String f : new String[] {"spin_trylock", "mutex_trylock", "down_read_trylock",
                "down_write_trylock", "read_trylock", "write_trylock"}) {
            add(new Builtin(f, Kind.TRYLOCK, 1, 0, Order.ACQUIRE, "", Result.SUCCESS, -1, 1, true));
        }
        for (String f : new String[] {"spin_unlock", "mutex_unlock", "up_read", "up_write", "read_unlock",
                "write_unlock"}) {
            simple(f, Kind.UNLOCK, 1, 0, Order.RELEASE);
        }
        add(new Builtin("choose", Kind.NONDET, 2, -1, Order.PLAIN, "", Result.NONE, -1, 1, false));
        arm64();
    }

    /**
     * AArch64 instructions without a kernel primitive, as the litmus importer writes
     * them ({@link #ARM64} and the mnemonic): the load LDAPR, and read-modify-writes.
     * An LSE atomic takes (location, operand)
     * and returns the value read; called as a statement it is the no-return form
     * (destination WZR or XZR: STADD and friends). CAS takes (location, expected,
     * new). An exclusive pair, "arm64:LDAXR+STXR" and the like, takes (location,
     * value, register): it returns the store's status (0 stored, 1 failed) and puts
     * the value loaded in the register, which the value may use.
     */
    private static void arm64() {
        add(new Builtin(ARM64 + "LDAPR", Kind.LOAD, 1, 0, Order.ACQUIRE_PC, "", Result.NONE, -1, 1, false,
                Form.LSE));
        for (String suffix : new String[] {"", "A", "L", "AL"}) {
            Order o = switch (suffix) {
                case "A" -> Order.ACQUIRE;
                case "L" -> Order.RELEASE;
                case "AL" -> Order.FULL;
                default -> Order.RELAXED;
            };
            lse("SWP" + suffix, 2, o, "xchg");
            lse("LDADD" + suffix, 2, o, "add");
            lse("LDSET" + suffix, 2, o, "ldset"); // or in a mask (not a bit number, as set_bit takes)
            lse("LDCLR" + suffix, 2, o, "ldclr");
            lse("LDEOR" + suffix, 2, o, "ldeor");
            lse("CAS" + suffix, 3, o, "cmpxchg");
        }
        for (String load : new String[] {"LDXR", "LDAXR"}) {
            for (String store : new String[] {"STXR", "STLXR"}) {
                boolean acquire = load.equals("LDAXR");
                boolean release = store.equals("STLXR");
                Order o = acquire && release ? Order.ACQUIRE_RELEASE : acquire ? Order.ACQUIRE
                        : release ? Order.RELEASE : Order.RELAXED;
                add(new Builtin(ARM64 + load + "+" + store, Kind.RMW, 3, 0, o, "xchg", Result.OLD, 1, 1, false,
                        Form.EXCLUSIVE));
            }
        }
    }

    private static void lse(String mnemonic, int arity, Order o, String op) {
        add(new Builtin(ARM64 + mnemonic, Kind.RMW, arity, 0, o, op, Result.OLD, arity - 1, 1, false, Form.LSE));
    }

    /**
     * The kernel's bitops on bit {@code nr} of an int word, with the orderings of
     * Documentation/atomic_bitops.txt: test_bit is a plain load; the void RMWs are
     * relaxed; the test_and_ ones fully ordered; test_and_set_bit_lock acquire
     * when it sets the bit and, when the bit was already set, a plain load (the
     * generic version reads first and returns); clear_bit_unlock release. The
     * __ forms are a plain load and a store, not atomic; __clear_bit_unlock's
     * store is a release (the generic version's atomic_long_set_release).
     */
    private static void bitops() {
        add(new Builtin("test_bit", Kind.LOAD, 2, 1, Order.ONCE, "bit", Result.OLD_BIT, 0, 1, true));
        add(new Builtin("test_bit_acquire", Kind.LOAD, 2, 1, Order.ACQUIRE, "bit", Result.OLD_BIT, 0, 1, true));
        bitop("set_bit", Kind.VOID_RMW, Order.RELAXED, "or", Result.NONE);
        bitop("clear_bit", Kind.VOID_RMW, Order.RELAXED, "andnot", Result.NONE);
        bitop("change_bit", Kind.VOID_RMW, Order.RELAXED, "xor", Result.NONE);
        bitop("clear_bit_unlock", Kind.VOID_RMW, Order.RELEASE, "andnot", Result.NONE);
        bitop("test_and_set_bit", Kind.RMW, Order.FULL, "or", Result.OLD_BIT);
        bitop("test_and_clear_bit", Kind.RMW, Order.FULL, "andnot", Result.OLD_BIT);
        bitop("test_and_change_bit", Kind.RMW, Order.FULL, "xor", Result.OLD_BIT);
        bitop("test_and_set_bit_lock", Kind.RMW, Order.ACQUIRE, "or_unless_set", Result.OLD_BIT);
        bitop("clear_bit_unlock_is_negative_byte", Kind.RMW, Order.RELEASE, "andnot", Result.NEGATIVE_BYTE);
        bitop("__set_bit", Kind.NONATOMIC_RMW, Order.PLAIN, "or", Result.NONE);
        bitop("__clear_bit", Kind.NONATOMIC_RMW, Order.PLAIN, "andnot", Result.NONE);
        bitop("__change_bit", Kind.NONATOMIC_RMW, Order.PLAIN, "xor", Result.NONE);
        bitop("__clear_bit_unlock", Kind.NONATOMIC_RMW, Order.RELEASE, "andnot", Result.NONE);
    }

    /**
     * Sequence counts on an int word, as include/linux/seqlock.h builds them: the
     * writer's begin is the count's increment (a plain load and store: writers are
     * serialised by their own lock) then smp_wmb(), its end smp_wmb() then the
     * increment; the reader's begin loads the count until it is even, then
     * smp_rmb(); its retry is smp_rmb(), then whether the count moved. The raw_
     * forms are the same without lockdep; raw_read_seqcount does not wait for an
     * even count, and __read_seqcount_retry has no smp_rmb().
     */
    private static void seqcounts() {
        for (String prefix : new String[] {"", "raw_"}) {
            simple(prefix + "write_seqcount_begin", Kind.SEQ_WRITE, 1, 0, Order.PLAIN, "seq_write_begin");
            simple(prefix + "write_seqcount_end", Kind.SEQ_WRITE, 1, 0, Order.PLAIN, "seq_write_end");
            simple(prefix + "read_seqcount_begin", Kind.LOAD, 1, 0, Order.ONCE, "seq_begin");
        }
        simple("raw_read_seqcount", Kind.LOAD, 1, 0, Order.ONCE, "seq_read");
        add(new Builtin("read_seqcount_retry", Kind.LOAD, 2, 0, Order.ONCE, "seq_retry", Result.NONE, 1, 1, true));
        add(new Builtin("__read_seqcount_retry", Kind.LOAD, 2, 0, Order.ONCE, "seq_retry_unordered", Result.NONE,
                1, 1, true));
    }

    private static void simple(String name, Kind kind, int arity, int loc, Order order, String op) {
        add(new Builtin(name, kind, arity, loc, order, op, Result.NONE, -1, 1, false));
    }

    private static void bitop(String name, Kind kind, Order o, String op, Result r) {
        add(new Builtin(name, kind, 2, 1, o, op, r, 0, 1, r != Result.NONE));
    }

    private static Order order(String suffix) {
        return switch (suffix) {
            case "_relaxed" -> Order.RELAXED;
            case "_acquire" -> Order.ACQUIRE;
            case "_release" -> Order.RELEASE;
            default -> Order.FULL;
        };
    }

    private static void rmw(String name, int arity, int loc, Order o, String op, Result r, int operand, int sign) {
        boolean bool = r == Result.NEW_IS_ZERO || r == Result.SUCCESS;
        add(new Builtin(name, Kind.RMW, arity, loc, o, op, r, operand, sign, bool));
    }

    /** A void atomic (atomic_inc, ...): relaxed, as in the kernel. */
    private static void voidRmw(String name, int arity, int loc, int operand, int sign) {
        add(new Builtin(name, Kind.VOID_RMW, arity, loc, Order.RELAXED, "add", Result.NONE, operand, sign, false));
    }

    public static Builtin get(String name) {
        return TABLE.get(name);
    }

    /** The names a .mmx file can call (not the AArch64 instructions of litmus tests). */
    public static Iterable<String> names() {
        return TABLE.keySet().stream().filter(n -> !n.startsWith(ARM64)).toList();
    }

    /** Which lock kinds a lock primitive applies to, as words for messages. */
    public static boolean fitsLock(String call, boolean readerWriter, boolean sleeping) {
        return switch (call) {
            case "spin_lock", "spin_unlock", "spin_trylock" -> !readerWriter && !sleeping;
            case "mutex_lock", "mutex_unlock", "mutex_trylock" -> !readerWriter && sleeping;
            case "down_read", "up_read", "down_write", "up_write", "down_read_trylock", "down_write_trylock" ->
                    readerWriter && sleeping;
            default -> readerWriter && !sleeping; // read_lock, write_lock, ... on an rwlock
        };
    }
}
