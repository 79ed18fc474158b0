package dev.mmx.graph;

import dev.mmx.system.Snapshot;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.JohnsonSimpleCycles;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * The lock-order graph, as lockdep builds it but from every reachable state:
 * an edge A → B when some thread takes B while holding A, labelled with the
 * thread and source line. A cycle means two paths take the same locks in
 * opposite orders, a possible ABBA deadlock, and is drawn in red.
 */
public final class LockGraph {
    /** The DOT text, the cycles (each as locks in order, starting from the earliest declared), and coverage. */
    public record Result(String dot, List<List<String>> cycles, int locks, int edges, int states, boolean complete) {}

    /** An edge with every place that takes the second lock while holding the first. */
    static final class Order {
        final Set<String> sites = new LinkedHashSet<>();
    }

    private LockGraph() {}

    public static Result build(TransitionSystem ts, int maxStates) {
        Graph<String, Order> g = new DefaultDirectedGraph<>(Order.class);
        Reachable r = new Reachable();
        ts.snapshot(ts.initial()).locks().keySet().forEach(g::addVertex);
        boolean complete = r.explore(ts, maxStates, id -> true, (from, s, transition, to) -> {
            Step step = ts.describe(s, transition);
            // a trylock never waits, so it cannot close a deadlock cycle (lockdep skips it too)
            if (step.text().contains("trylock")) {
                return;
            }
            Snapshot before = null;
            for (Step.Effect e : step.effects()) {
                if (!e.kind().equals(Step.Effect.LOCK)) {
                    continue;
                }
                before = before != null ? before : ts.snapshot(s);
                String taken = lockName(before.locks(), e.target());
                for (Map.Entry<String, String> held : before.locks().entrySet()) {
                    if (holders(held.getValue()).contains(step.actor())) {
                        addOrder(g, held.getKey(), taken, step.actor() + " line " + step.line());
                    }
                }
            }
        });
        List<List<String>> cycles = cycles(g);
        Set<String> onCycle = new HashSet<>();
        Set<Order> cycleEdges = new HashSet<>();
        for (List<String> c : cycles) {
            onCycle.addAll(c);
            for (int i = 0; i < c.size(); i++) {
                cycleEdges.add(g.getEdge(c.get(i), c.get((i + 1) % c.size())));
            }
        }
        String dot = Dot.export(g, "lock_order",
                Dot.attrs("rankdir", "LR"),
                v -> onCycle.contains(v) ? Dot.attrs("label", v, "color", Dot.RED, "fontcolor", Dot.RED, "penwidth", "2")
                        : Dot.attrs("label", v),
                e -> cycleEdges.contains(e)
                        ? Dot.attrs("label", String.join("\\n", e.sites), "color", Dot.RED, "fontcolor", Dot.RED,
                                "penwidth", "2")
                        : Dot.attrs("label", String.join("\\n", e.sites)));
        return new Result(dot, cycles, g.vertexSet().size(), g.edgeSet().size(), r.size(), complete);
    }

    private static void addOrder(Graph<String, Order> g, String held, String taken, String site) {
        Order o = g.getEdge(held, taken);
        if (o == null) {
            o = new Order();
            g.addEdge(held, taken, o);
        }
        o.sites.add(site);
    }

    /** The lock a lock effect names: "i_mmap" or "i_mmap for read". */
    private static String lockName(Map<String, String> locks, String target) {
        for (String name : locks.keySet()) {
            if (target.equals(name) || target.startsWith(name + " ")) {
                return name;
            }
        }
        throw new IllegalStateException("a lock effect names an unknown lock: " + target);
    }

    /** The threads a snapshot's lock word names: "held by t", "write-held by t", "read-held by a, b". */
    static List<String> holders(String word) {
        int by = word.indexOf(" by ");
        if (by < 0) {
            return List.of();
        }
        return List.of(word.substring(by + 4).split(", "));
    }

    /** Every simple cycle, rotated to start at its earliest declared lock, in a stable order. */
    private static List<List<String>> cycles(Graph<String, Order> g) {
        List<String> order = new ArrayList<>(g.vertexSet());
        List<List<String>> out = new ArrayList<>();
        for (List<String> c : new JohnsonSimpleCycles<>(g).findSimpleCycles()) {
            int start = 0;
            for (int i = 1; i < c.size(); i++) {
                if (order.indexOf(c.get(i)) < order.indexOf(c.get(start))) {
                    start = i;
                }
            }
            List<String> rotated = new ArrayList<>(c.subList(start, c.size()));
            rotated.addAll(c.subList(0, start));
            out.add(List.copyOf(rotated));
        }
        out.sort((a, b) -> String.join(" ", a).compareTo(String.join(" ", b)));
        return out;
    }
}
