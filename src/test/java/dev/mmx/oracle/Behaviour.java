package dev.mmx.oracle;

import dev.mmx.explore.Reachable;
import dev.mmx.system.Program;
import dev.mmx.system.Snapshot;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a model can do under one memory model, from a walk of every reachable
 * state without reduction: its final states (every thread finished) projected
 * on shared, ghost and register values, the safety properties (invariants,
 * assertions, runtime faults) violated somewhere, whether some state
 * deadlocks, and which final conditions some final state breaks.
 *
 * <p>The walk does not stop at a violation as the explorer does: it records it
 * and goes on through states that break an invariant (a faulted state has no
 * successor), so the final states do not depend on which violation a search
 * happens to meet first.
 */
public record Behaviour(Set<Map<String, String>> finals, Set<String> safety, boolean deadlock,
                        Set<String> finalConditions, int states, String incomplete) {

    /** Walks every state of {@code ts} (at most {@code maxStates}); {@code p} names the invariants. */
    public static Behaviour of(Program p, TransitionSystem ts, int maxStates) {
        return of(p, ts, maxStates, Double.POSITIVE_INFINITY);
    }

    /** As {@link #of(Program, TransitionSystem, int)}, giving up (incomplete) after {@code seconds}. */
    public static Behaviour of(Program p, TransitionSystem ts, int maxStates, double seconds) {
        long deadline = System.nanoTime() + (long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2);
        boolean[] late = {false};
        Set<String> invariants = new HashSet<>();
        p.invariants().forEach(i -> invariants.add(i.name()));
        Set<Map<String, String>> finals = new HashSet<>();
        Set<String> safety = new TreeSet<>();
        Set<String> conditions = new TreeSet<>();
        boolean[] deadlock = {false};
        Reachable reachable = new Reachable();
        int[] out = new int[ts.maxTransitions()];
        dev.mmx.explore.Result walk = reachable.explore(ts, maxStates, id -> {
            if (System.nanoTime() > deadline) {
                late[0] = true;
                return false;
            }
            int[] s = reachable.state(id);
            Violation v = ts.check(s);
            if (v != null) {
                safety.add(v.property());
                if (!invariants.contains(v.property())) {
                    return false; // a fault ends its execution
                }
            }
            if (ts.enabled(s, out) == 0) {
                Violation end = ts.checkTerminal(s);
                if (end != null && end.property().equals(Violation.DEADLOCK)) {
                    deadlock[0] = true;
                } else {
                    finals.add(project(ts.snapshot(s)));
                    if (end != null) {
                        conditions.add(end.property());
                    }
                }
            }
            return true;
        }, (from, s, t, to) -> { });
        String incomplete = late[0] ? "the time limit (" + seconds + " s) was reached" : walk.incompleteReason();
        return new Behaviour(finals, safety, deadlock[0], conditions, reachable.size(), incomplete);
    }

    /**
     * Final states for a failure message: at most {@code limit} of them, each
     * shown only by the values that differ somewhere among {@code all} (the
     * kernel kit's many cells mostly stay at their initial values).
     */
    public static List<String> describe(Collection<Map<String, String>> states, Collection<Map<String, String>> all,
                                        int limit) {
        Set<String> varying = new TreeSet<>();
        Map<String, String> first = all.isEmpty() ? Map.of() : all.iterator().next();
        for (Map<String, String> s : all) {
            s.forEach((k, v) -> {
                if (!v.equals(first.get(k))) {
                    varying.add(k);
                }
            });
        }
        List<String> out = new ArrayList<>();
        for (Map<String, String> s : states) {
            if (out.size() == limit) {
                out.add("... " + (states.size() - limit) + " more");
                break;
            }
            Map<String, String> shown = new TreeMap<>(s);
            shown.keySet().retainAll(varying.isEmpty() ? s.keySet() : varying);
            out.add(shown.toString());
        }
        return out;
    }

    /** A state's shared cells, ghost cells and visible registers ({@code thread.register}), as printed. */
    public static Map<String, String> project(Snapshot s) {
        Map<String, String> out = new TreeMap<>(s.memory());
        out.putAll(s.ghosts());
        s.registers().forEach((thread, regs) -> regs.forEach((r, v) -> out.put(thread + "." + r, v)));
        return out;
    }
}
