package dev.mmx.lockdep;

import dev.mmx.explore.Reachable;
import dev.mmx.system.TransitionSystem;
import java.util.List;

/** Runs lock-order checking over every reachable state of a transition system. */
public final class Lockdep {
    /**
     * The orderings seen, how many states were explored, and null when that was
     * all of them, else why not (a limit, or a memory-model bound that cut
     * behaviour off): then "no cycle" proves nothing.
     */
    public record Result(LockOrder order, List<LockOrder.Cycle> cycles, int states, String incomplete) {
        public boolean complete() {
            return incomplete == null;
        }
    }

    private Lockdep() {}

    /**
     * Explores breadth-first up to {@code maxStates} states, feeding every
     * transition to a {@link LockOrder}; unlike a check it does not stop at a
     * violation, since an ordering may be established on any path.
     */
    public static Result run(TransitionSystem ts, int maxStates) {
        LockOrder order = new LockOrder(ts.snapshot(ts.initial()).locks().keySet());
        Reachable r = new Reachable();
        dev.mmx.explore.Result walk = r.explore(ts, maxStates, id -> true,
                (from, s, transition, to) -> order.observe(ts, s, transition));
        return new Result(order, order.cycles(), r.size(), walk.incompleteReason());
    }
}
