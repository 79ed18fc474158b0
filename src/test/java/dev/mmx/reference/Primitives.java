package dev.mmx.reference;

import java.util.List;
import java.util.Set;

/**
 * What each memory primitive of the language reference does to a cell under
 * sequential consistency, where every ordering suffix (_relaxed, _acquire,
 * _release) means the same thing.
 */
final class Primitives {
    private Primitives() {}

    private static final Set<String> LOADS = Set.of("READ_ONCE", "smp_load_acquire", "atomic_read",
            "atomic_read_acquire", "rcu_dereference", "test_bit", "test_bit_acquire", "waitqueue_active",
            "read_seqcount_begin", "raw_read_seqcount_begin", "raw_read_seqcount", "read_seqcount_retry",
            "__read_seqcount_retry");
    private static final Set<String> STORES = Set.of("WRITE_ONCE", "smp_store_release", "atomic_set",
            "atomic_set_release", "rcu_assign_pointer");
    private static final Set<String> FENCES = Set.of("smp_mb", "smp_rmb", "smp_wmb", "smp_mb__before_atomic",
            "smp_mb__after_atomic", "smp_mb__after_unlock_lock", "smp_mb__after_spinlock", "barrier", "isb");
    /** Read-modify-writes whose location is their second argument: {@code atomic_add(i, &v)}. */
    private static final Set<String> LOCATION_SECOND = Set.of("atomic_add_return", "atomic_sub_return",
            "atomic_fetch_add", "atomic_fetch_sub", "atomic_sub_and_test", "atomic_add", "atomic_sub");

    static boolean isLoad(String f) {
        return LOADS.contains(f);
    }

    static boolean isStore(String f) {
        return STORES.contains(f);
    }

    static boolean isFence(String f) {
        return FENCES.contains(f);
    }

    private static final Set<String> BITOPS = Set.of("set_bit", "clear_bit", "change_bit", "clear_bit_unlock",
            "test_and_set_bit", "test_and_clear_bit", "test_and_change_bit", "test_and_set_bit_lock",
            "clear_bit_unlock_is_negative_byte", "__set_bit", "__clear_bit", "__change_bit", "__clear_bit_unlock");

    /** A bitop statement or value primitive on bit nr of a word: {@code set_bit(nr, &w)}. */
    static boolean isBitop(String f) {
        return BITOPS.contains(f);
    }

    /** The __ bitops: a load and then a store, two steps. */
    static boolean isTwoSteps(String f) {
        return f.startsWith("__");
    }

    /**
     * A bitop on a word holding {@code old}, bit mask {@code mask}: the new value
     * and what it returns (the old bit for the test_and_ ones; for
     * clear_bit_unlock_is_negative_byte whether bit 7 of the new value is set).
     */
    static int[] bitop(String f, int old, int mask) {
        int was = (old & mask) != 0 ? 1 : 0;
        return switch (f.replace("__", "").replace("test_and_", "")) {
            case "set_bit", "set_bit_lock" -> new int[] {old | mask, was};
            case "clear_bit", "clear_bit_unlock" -> new int[] {old & ~mask, was};
            case "change_bit" -> new int[] {old ^ mask, was};
            case "clear_bit_unlock_is_negative_byte" -> new int[] {old & ~mask, (old & ~mask & 0x80) != 0 ? 1 : 0};
            default -> throw new IllegalStateException("not a bitop: " + f);
        };
    }

    /** The read-modify-write's name without its ordering suffix. */
    private static String base(String f) {
        for (String suffix : List.of("_relaxed", "_acquire", "_release")) {
            if (f.endsWith(suffix)) {
                return f.substring(0, f.length() - suffix.length());
            }
        }
        return f;
    }

    static int locationArg(String f) {
        return LOCATION_SECOND.contains(base(f)) ? 1 : 0;
    }

    /**
     * A read-modify-write of a cell holding {@code old}, with its arguments'
     * values in {@code args} (the location's slot unused): the new value and
     * what the primitive returns (0 for the void ones; bools as 0 and 1).
     */
    static int[] rmw(String f, int old, int[] args) {
        return switch (base(f)) {
            case "xchg", "atomic_xchg" -> new int[] {args[1], old};
            case "cmpxchg", "atomic_cmpxchg" -> new int[] {old == args[1] ? args[2] : old, old};
            case "atomic_add_return" -> twice(old + args[0]);
            case "atomic_sub_return" -> twice(old - args[0]);
            case "atomic_inc_return" -> twice(old + 1);
            case "atomic_dec_return" -> twice(old - 1);
            case "atomic_fetch_add" -> new int[] {old + args[0], old};
            case "atomic_fetch_sub" -> new int[] {old - args[0], old};
            case "atomic_fetch_inc" -> new int[] {old + 1, old};
            case "atomic_fetch_dec" -> new int[] {old - 1, old};
            case "atomic_dec_and_test" -> new int[] {old - 1, old - 1 == 0 ? 1 : 0};
            case "atomic_inc_and_test" -> new int[] {old + 1, old + 1 == 0 ? 1 : 0};
            case "atomic_sub_and_test" -> new int[] {old - args[0], old - args[0] == 0 ? 1 : 0};
            case "atomic_add_unless" -> old != args[2] ? new int[] {old + args[1], 1} : new int[] {old, 0};
            case "atomic_inc_not_zero" -> old != 0 ? new int[] {old + 1, 1} : new int[] {old, 0};
            case "atomic_inc" -> new int[] {old + 1, 0};
            case "atomic_dec" -> new int[] {old - 1, 0};
            case "atomic_add" -> new int[] {old + args[0], 0};
            case "atomic_sub" -> new int[] {old - args[0], 0};
            default -> throw new IllegalStateException("not a read-modify-write: " + f);
        };
    }

    private static int[] twice(int v) {
        return new int[] {v, v};
    }
}
