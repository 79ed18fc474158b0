package dev.mmx.graph;

import dev.mmx.lockdep.LockOrder;
import dev.mmx.lockdep.Lockdep;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * The lock-order graph, as lockdep builds it but from every reachable state:
 * an edge A → B when some thread takes B while holding A, labelled with the
 * thread and source line. A cycle means two paths take the same locks in
 * opposite orders, a possible ABBA deadlock, and is drawn in red.
 */
public final class LockGraph {
    /**
     * The DOT text, the cycles (each as locks in order, starting from the earliest declared), and coverage:
     * {@code incomplete} is null when every reachable state was walked, else why not.
     */
    public record Result(String dot, List<List<String>> cycles, int locks, int edges, int states, String incomplete) {
        public boolean complete() {
            return incomplete == null;
        }
    }

    private LockGraph() {}

    public static Result build(TransitionSystem ts, int maxStates) {
        Lockdep.Result run = Lockdep.run(ts, maxStates);
        Graph<String, LockOrder.Sites> g = run.order().graph();
        Set<String> onCycle = new HashSet<>();
        Set<LockOrder.Sites> cycleEdges = new HashSet<>();
        List<List<String>> cycles = new ArrayList<>();
        for (LockOrder.Cycle c : run.cycles()) {
            cycles.add(c.locks());
            onCycle.addAll(c.locks());
            for (LockOrder.Edge e : c.edges()) {
                cycleEdges.add(g.getEdge(e.held(), e.taken()));
            }
        }
        String dot = Dot.export(g, "lock_order",
                Dot.attrs("rankdir", "LR"),
                v -> onCycle.contains(v) ? Dot.attrs("label", v, "color", Dot.RED, "fontcolor", Dot.RED, "penwidth", "2")
                        : Dot.attrs("label", v),
                e -> cycleEdges.contains(e)
                        ? Dot.attrs("label", label(e), "color", Dot.RED, "fontcolor", Dot.RED, "penwidth", "2")
                        : Dot.attrs("label", label(e)));
        return new Result(dot, cycles, run.order().locks(), run.order().edges(), run.states(), run.incomplete());
    }

    private static String label(LockOrder.Sites e) {
        return String.join("\\n", e.list().stream().map(LockOrder.Site::toString).toList());
    }

}
