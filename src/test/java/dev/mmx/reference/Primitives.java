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
            "atomic_read_acquire", "rcu_dereference");
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
