package dev.mmx.lockdep;

import dev.mmx.system.Snapshot;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.JohnsonSimpleCycles;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * Lock-order checking as lockdep does it: every "held A, then acquired B" seen
 * while exploring becomes an edge A → B of a directed graph, labelled with each
 * thread and source line where it happened. A cycle means two acquisition paths
 * take the same locks in opposite orders: a potential deadlock, reported even
 * when no explored interleaving deadlocks.
 *
 * <p>As in lockdep, a trylock adds no edge (it never waits, so it cannot close a
 * cycle), but the lock it takes counts as held for later acquisitions. A read
 * acquisition (down_read, read_lock) is recorded like a write one, and a lock
 * held for read orders later acquisitions like one held for write: that is
 * lockdep's rule for rwsems, and it is conservative for rwlocks, whose readers
 * lockdep treats as recursive.
 */
public final class LockOrder {
    /** Where an ordering was seen: a thread and a source line. */
    public record Site(String thread, int line) {
        @Override
        public String toString() {
            return thread + " line " + line;
        }
    }

    /** An ordering held → taken with every site that established it, in the order they were seen. */
    public record Edge(String held, String taken, List<Site> sites) {}

    /** A cycle of orderings: {@code locks.get(i)} → {@code locks.get(i + 1)}, the last back to the first. */
    public record Cycle(List<String> locks, List<Edge> edges) {
        /** "a -> b -> a". */
        public String path() {
            return String.join(" -> ", locks) + " -> " + locks.get(0);
        }
    }

    /** The mutable label of one graph edge. */
    public static final class Sites {
        private final Set<Site> sites = new LinkedHashSet<>();

        public List<Site> list() {
            return List.copyOf(sites);
        }
    }

    private final Graph<String, Sites> graph = new DefaultDirectedGraph<>(Sites.class);

    /** A graph whose vertices are the given locks, in that order (the order cycles are rotated to). */
    public LockOrder(Collection<String> locks) {
        locks.forEach(graph::addVertex);
    }

    /** Thread {@code thread} took {@code lock} at {@code line} while holding {@code held}. */
    public void acquired(String thread, int line, String lock, Collection<String> held) {
        graph.addVertex(lock);
        for (String h : held) {
            if (h.equals(lock)) {
                continue; // taking a lock already held is the runtime fault double_lock, not an ordering
            }
            graph.addVertex(h);
            Sites s = graph.getEdge(h, lock);
            if (s == null) {
                s = new Sites();
                graph.addEdge(h, lock, s);
            }
            s.sites.add(new Site(thread, line));
        }
    }

    /**
     * Feeds one transition of {@code ts} from {@code state}: each lock the step
     * takes, except by a trylock, is an acquisition while holding what the
     * thread held before the step.
     */
    public void observe(TransitionSystem ts, int[] state, int transition) {
        Step step = ts.describe(state, transition);
        if (step.text().contains("trylock")) {
            return;
        }
        Snapshot before = null;
        for (Step.Effect e : step.effects()) {
            if (!e.kind().equals(Step.Effect.LOCK)) {
                continue;
            }
            before = before != null ? before : ts.snapshot(state);
            List<String> held = new ArrayList<>();
            for (Map.Entry<String, String> l : before.locks().entrySet()) {
                if (holders(l.getValue()).contains(step.actor())) {
                    held.add(l.getKey());
                }
            }
            acquired(step.actor(), step.line(), lockName(before.locks(), e.target()), held);
        }
    }

    public Graph<String, Sites> graph() {
        return graph;
    }

    public int locks() {
        return graph.vertexSet().size();
    }

    public int edges() {
        return graph.edgeSet().size();
    }

    /** Every simple cycle, rotated to start at its earliest lock, in a stable order. */
    public List<Cycle> cycles() {
        List<String> order = new ArrayList<>(graph.vertexSet());
        List<Cycle> out = new ArrayList<>();
        for (List<String> c : new JohnsonSimpleCycles<>(graph).findSimpleCycles()) {
            int start = 0;
            for (int i = 1; i < c.size(); i++) {
                if (order.indexOf(c.get(i)) < order.indexOf(c.get(start))) {
                    start = i;
                }
            }
            List<String> locks = new ArrayList<>(c.subList(start, c.size()));
            locks.addAll(c.subList(0, start));
            List<Edge> edges = new ArrayList<>();
            for (int i = 0; i < locks.size(); i++) {
                String a = locks.get(i);
                String b = locks.get((i + 1) % locks.size());
                edges.add(new Edge(a, b, graph.getEdge(a, b).list()));
            }
            out.add(new Cycle(List.copyOf(locks), List.copyOf(edges)));
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    /** The report of one cycle: the path, then each ordering with the places that established it. */
    public static List<String> describe(Cycle c) {
        List<String> out = new ArrayList<>();
        out.add("lock-order cycle (possible deadlock): " + c.path());
        for (Edge e : c.edges()) {
            out.add("  " + e.taken() + " taken while holding " + e.held() + ": "
                    + String.join(", ", e.sites().stream().map(Site::toString).toList()));
        }
        return out;
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
    public static List<String> holders(String word) {
        int by = word.indexOf(" by ");
        if (by < 0) {
            return List.of();
        }
        return List.of(word.substring(by + 4).split(", "));
    }
}
