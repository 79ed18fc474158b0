package dev.mmx.graph;

import dev.mmx.explore.Reachable;
import dev.mmx.system.Snapshot;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;

/**
 * A small reachable state graph: states in breadth-first order up to a limit,
 * each labelled with where every thread is and the values it holds, edges
 * labelled with the thread and source line that moved. States that break a
 * property are filled red, and the counterexample path (always included,
 * even past the limit) is drawn in red; states whose successors are not all
 * drawn are dashed.
 */
public final class StateGraph {
    public record Result(String dot, int states, int edges, boolean truncated) {}

    /** One transition; two moves between the same states stay two edges. */
    static final class Move {
        final String label;

        Move(String label) {
            this.label = label;
        }
    }

    private StateGraph() {}

    /** {@code path} is the counterexample as transitions from the initial state, or empty. */
    public static Result build(TransitionSystem ts, int maxStates, int[] path) {
        Graph<Integer, Move> g = new DirectedPseudograph<>(Move.class);
        Reachable r = new Reachable();
        Set<Integer> frontier = new HashSet<>();
        // truncated means states left out at the limit (drawn dashed); a memory-model bound is the
        // check's business (the summary line under the graph), since the graph shows the bounded system as it is
        boolean[] truncated = {false};
        r.explore(ts, maxStates, id -> ts.check(r.state(id)) == null, (from, s, t, to) -> {
            if (to < 0) {
                truncated[0] = true;
                frontier.add(from);
                return;
            }
            g.addVertex(from);
            g.addVertex(to);
            g.addEdge(from, to, new Move(label(ts.describe(s, t))));
        });
        g.addVertex(0);
        int explored = r.size();
        Set<Integer> pathStates = new HashSet<>(path.length > 0 ? List.of(0) : List.of());
        Set<Move> pathMoves = new HashSet<>();
        int[] s = ts.initial();
        for (int t : path) {
            int from = r.id(s);
            String label = label(ts.describe(s, t));
            s = ts.next(s, t);
            int to = r.add(s);
            if (to >= explored) {
                frontier.add(to); // only reached along the path: its other successors are not drawn
            }
            g.addVertex(to);
            Move m = find(g, from, to, label);
            if (m == null) {
                m = new Move(label);
                g.addEdge(from, to, m);
            }
            pathStates.add(to);
            pathMoves.add(m);
        }
        String dot = Dot.export(g, "states", Dot.attrs("rankdir", "TB"),
                v -> vertex(ts, r.state(v), v, pathStates.contains(v), frontier.contains(v)),
                e -> pathMoves.contains(e) ? Dot.attrs("label", e.label, "color", Dot.RED, "fontcolor", Dot.RED,
                        "penwidth", "2") : Dot.attrs("label", e.label));
        return new Result(dot, g.vertexSet().size(), g.edgeSet().size(), truncated[0]);
    }

    private static Move find(Graph<Integer, Move> g, int from, int to, String label) {
        for (Move m : g.getAllEdges(from, to)) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        return null;
    }

    private static String label(Step step) {
        if (step.line() > 0) {
            return step.actor() + ":" + step.line();
        }
        return step.actor() + (step.note().equals("memory") ? " write-back" : " " + step.text());
    }

    private static Map<String, org.jgrapht.nio.Attribute> vertex(TransitionSystem ts, int[] s, int id, boolean onPath,
                                                                  boolean frontier) {
        boolean broken = ts.check(s) != null || (ts.enabled(s, new int[ts.maxTransitions()]) == 0
                && ts.checkTerminal(s) != null);
        List<String> attrs = new ArrayList<>(List.of("label", describe(ts.snapshot(s), id)));
        if (onPath) {
            attrs.addAll(List.of("color", Dot.RED, "penwidth", "2"));
        }
        List<String> style = new ArrayList<>();
        if (broken) {
            style.add("filled");
            attrs.addAll(List.of("fillcolor", "#fdecea"));
        }
        if (frontier && !broken) {
            style.add("dashed");
        }
        if (!style.isEmpty()) {
            attrs.addAll(List.of("style", String.join(",", style)));
        }
        return Dot.attrs(attrs.toArray(String[]::new));
    }

    /** Left-justified lines: the state number, where each thread is, then the values. */
    static String describe(Snapshot s, int id) {
        List<String> lines = new ArrayList<>();
        lines.add("s" + id);
        List<String> at = new ArrayList<>();
        s.positions().forEach((t, p) -> at.add(t + ":" + (p.startsWith("line ") ? p.substring(5, p.indexOf(':'))
                : p)));
        lines.add(String.join(" ", at));
        addLine(lines, pairs(s.memory()));
        List<String> held = new ArrayList<>();
        s.locks().forEach((l, w) -> {
            if (!w.equals("free")) {
                held.add(l + " " + w);
            }
        });
        addLine(lines, held);
        List<String> regs = new ArrayList<>();
        s.registers().forEach((t, rs) -> rs.forEach((reg, v) -> regs.add(t + "." + reg + "=" + v)));
        addLine(lines, regs);
        addLine(lines, pairs(s.ghosts()));
        s.buffers().forEach((t, entries) -> {
            if (!entries.isEmpty()) {
                lines.add(t + " buffer: " + String.join(", ", entries));
            }
        });
        return String.join("\\l", lines) + "\\l";
    }

    private static List<String> pairs(Map<String, String> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static void addLine(List<String> lines, List<String> parts) {
        if (!parts.isEmpty()) {
            lines.add(String.join(" ", parts));
        }
    }
}
