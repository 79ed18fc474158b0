package dev.mmx.advise;

import dev.mmx.system.Instr;
import dev.mmx.system.Program;
import dev.mmx.system.Step;
import dev.mmx.trace.Trace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads off a weak-memory counterexample which accesses each CPU performed
 * out of program order. Nothing is guessed: under tso a store is pending from
 * the step that buffered it to the write-back step that made it visible, so a
 * load of the same CPU in between passed it; under arm every step records
 * each CPU's in-flight window (program order, each instruction waiting,
 * guessed or performed), so an access performed while an earlier access of
 * its window still waits passed that access.
 */
public final class Reorderings {
    private Reorderings() {}

    /** "line 6: WRITE_ONCE(data, 1); [waiting]", as the arm machine describes an in-flight instruction. */
    private static final Pattern WINDOW_ENTRY = Pattern.compile("line (\\d+): (.*) \\[([^\\]]+)]");

    /**
     * The reorderings of a trace; {@code complete} is false when some access
     * could not be found in its CPU's in-flight window, so that what it
     * passed is unknown (a caller that prunes on reorderings must then assume
     * the worst).
     */
    public record Reading(List<Reordering> reorderings, boolean complete) {}

    public static List<Reordering> of(Trace t, Program p) {
        return read(t, p).reorderings();
    }

    public static Reading read(Trace t, Program p) {
        return switch (t.memoryModel()) {
            case "tso" -> new Reading(storeBuffer(t, p), true);
            case "arm" -> window(t, p);
            default -> new Reading(List.of(), true);
        };
    }

    private record Pending(Reordering.Access access, String target) {}

    private static List<Reordering> storeBuffer(Trace t, Program p) {
        List<Deque<Pending>> buffers = new ArrayList<>();
        for (int i = 0; i < t.threads().size(); i++) {
            buffers.add(new ArrayDeque<>());
        }
        Set<Reordering> out = new LinkedHashSet<>();
        for (Trace.TraceStep s : t.steps()) {
            Deque<Pending> buffer = buffers.get(s.thread());
            for (Trace.Effect e : s.effects()) {
                switch (e.kind()) {
                    case Step.Effect.FLUSH -> buffer.pollFirst();
                    case Step.Effect.BUFFER -> buffer.addLast(new Pending(
                            new Reordering.Access(s.line(), s.op(), false, true), e.target()));
                    case Step.Effect.READ -> {
                        for (Pending w : buffer) {
                            // a load of a location its own CPU still buffers reads that store (forwarding) and
                            // passes nothing; any other buffered store is passed
                            if (!w.target().equals(e.target())) {
                                out.add(reordering(t, p, s, w.access(),
                                        new Reordering.Access(s.line(), s.op(), true, false), 0));
                            }
                        }
                    }
                    default -> { }
                }
            }
        }
        return List.copyOf(out);
    }

    /** What a step did that another CPU could see, or that orders: its memory accesses and lock operations. */
    private static final List<String> ACCESS_EFFECTS = List.of(Step.Effect.READ, Step.Effect.WRITE,
            Step.Effect.LOCK, Step.Effect.UNLOCK, Step.Effect.FAIL);

    private static Reading window(Trace t, Program p) {
        if (!t.hasStates()) {
            return new Reading(List.of(), false);
        }
        boolean complete = true;
        Set<Reordering> out = new LinkedHashSet<>();
        for (Trace.TraceStep s : t.steps()) {
            if (s.effects().stream().noneMatch(e -> ACCESS_EFFECTS.contains(e.kind()))) {
                continue;
            }
            boolean locks = has(s, Step.Effect.LOCK) || has(s, Step.Effect.UNLOCK);
            boolean reads = has(s, Step.Effect.READ) || has(s, Step.Effect.FAIL) || has(s, Step.Effect.LOCK);
            boolean writes = has(s, Step.Effect.WRITE) || locks;
            List<String> before = windowOf(t.states().get(s.index() - 1), t.threads().get(s.thread()));
            List<Matcher> entries = new ArrayList<>();
            int own = -1;
            for (String text : before) {
                Matcher m = WINDOW_ENTRY.matcher(text);
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected in-flight entry in an arm trace: " + text);
                }
                entries.add(m);
                if (own < 0 && Integer.parseInt(m.group(1)) == s.line() && m.group(2).equals(s.op())
                        && !m.group(3).equals("performed")) {
                    own = entries.size() - 1;
                }
            }
            if (own < 0) {
                complete = false;
                continue;
            }
            Reordering.Access later = new Reordering.Access(s.line(), s.op(), reads, writes);
            int branch = 0;
            for (int k = own - 1; k >= 0; k--) {
                Matcher m = entries.get(k);
                int line = Integer.parseInt(m.group(1));
                String state = m.group(3);
                if (state.equals("guessed")) {
                    branch = line;
                    continue;
                }
                boolean pending = state.equals("waiting") || state.equals("read, write pending");
                if (!pending) {
                    continue;
                }
                Reordering.Access earlier = access(p, s.thread(), line, m.group(2), state);
                if (earlier != null) {
                    out.add(reordering(t, p, s, earlier, later, branch));
                }
            }
        }
        return new Reading(List.copyOf(out), complete);
    }

    private static boolean has(Trace.TraceStep s, String kind) {
        return s.effects().stream().anyMatch(e -> e.kind().equals(kind));
    }

    @SuppressWarnings("unchecked")
    private static List<String> windowOf(Map<String, Object> state, String cpu) {
        Object buffers = state.get("inFlight"); // arm's window: the in-flight instructions of each CPU
        if (buffers instanceof Map<?, ?> m && m.get(cpu) instanceof List<?> l) {
            return (List<String>) l;
        }
        return List.of();
    }

    /** What an in-flight instruction still has to do to memory, from the compiled code at its line; null if nothing. */
    private static Reordering.Access access(Program p, int thread, int line, String text, String state) {
        boolean reads = false;
        boolean writes = false;
        for (Instr i : p.threads().get(thread).code()) {
            if (i.src().line() != line || !i.src().text().equals(text)) {
                continue;
            }
            if (i instanceof Instr.Load) {
                reads = true;
            } else if (i instanceof Instr.Store) {
                writes = true;
            } else if (i instanceof Instr.Rmw) {
                // a read-modify-write whose read is done still has its write to perform
                reads |= !state.equals("read, write pending");
                writes = true;
            } else if (i instanceof Instr.LockOp) {
                reads = true;
                writes = true;
            }
        }
        return reads || writes ? new Reordering.Access(line, text, reads, writes) : null;
    }

    private static Reordering reordering(Trace t, Program p, Trace.TraceStep s, Reordering.Access earlier,
                                         Reordering.Access later, int branch) {
        String cpu = t.threads().get(s.thread());
        String group = s.thread() < p.threads().size() ? p.threads().get(s.thread()).group() : cpu;
        return new Reordering(s.thread(), cpu, group, earlier, later, s.index(), branch);
    }
}
