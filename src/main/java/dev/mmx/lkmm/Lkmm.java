package dev.mmx.lkmm;

import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Linux-kernel memory model (tools/memory-model: linux-kernel.bell,
 * linux-kernel.cat, lock.cat) as herd7 runs it, on a compiled program whose
 * threads have no loops: every candidate execution is built (see
 * {@link Candidates}) and those the model accepts are handed on, each with
 * its final state in the program's state layout.
 */
public final class Lkmm {
    private Lkmm() {}

    /**
     * Values from here up stand for herd7's free variables: a cycle of reads
     * each copying what another read of the cycle returned leaves a value the
     * execution does not fix. herd7 keeps it symbolic, equal to itself only,
     * and prints it as S followed by a number; so does mmx.
     */
    public static final int SYMBOLIC = 0x7ffe0000;

    /** herd7's name for a symbolic value, or null for an ordinary one. */
    public static String symbolicName(int value) {
        return value >= SYMBOLIC && value < SYMBOLIC + 0x10000 ? "S" + (value - SYMBOLIC) : null;
    }

    /** Receives each execution the model accepts; returns false to stop. */
    public interface Listener {
        boolean consistent(Outcome outcome);
    }

    /**
     * A consistent execution: its final state, the flags it raises, a way to
     * show it, and the runtime fault it meets (an access to no location, a
     * division by zero), or null.
     */
    public record Outcome(int[] state, Set<String> flags, Witness witness, Fault fault) {}

    /** A runtime fault, named as the operational models name it (index_out_of_range, division_by_zero). */
    public record Fault(String property, String message) {}

    /** What the whole run found: how many candidates, how many consistent, every flag raised. */
    public record Summary(long candidates, long consistent, Set<String> flags, boolean stopped) {}

    /**
     * Runs the model. Throws {@link LkmmError} for a program LKMM cannot
     * answer.
     */
    public static Summary run(Program program, Primitives primitives, Listener listener) {
        return run(program, primitives, Set.of(), listener, () -> true);
    }

    /**
     * Runs the model, asking {@code keepGoing} before each candidate (a time
     * limit, Ctrl-C). {@code observed} are the shared cells the final condition
     * looks at (lock.cat flags one that is a lock: lock-final).
     */
    public static Summary run(Program program, Primitives primitives, Set<Integer> observed, Listener listener,
                              java.util.function.BooleanSupplier keepGoing) {
        List<List<Path>> paths = new ArrayList<>();
        for (int t = 0; t < program.threads().size(); t++) {
            paths.add(ThreadPaths.of(program, t, primitives));
        }
        checkGhosts(program, paths);
        long[] counts = new long[2];
        TreeSet<String> flags = new TreeSet<>();
        boolean[] stopped = {false};
        Candidates.enumerate(program, paths, x -> {
            if (!keepGoing.getAsBoolean()) {
                stopped[0] = true;
                return false;
            }
            counts[0]++;
            TreeSet<String> f = KernelCat.check(x);
            if (f == null) {
                return true;
            }
            if (Flags.lockFinal(x, observed)) {
                f.add("lock-final");
            }
            counts[1]++;
            flags.addAll(f);
            boolean go = listener.consistent(new Outcome(finalStateOf(program, x), Set.copyOf(f), new Witness(x),
                    x.fault()));
            stopped[0] |= !go;
            return go;
        });
        return new Summary(counts[0], counts[1], flags, stopped[0]);
    }

    /**
     * Ghost cells are instrumentation outside the memory model; an axiomatic
     * execution has no order between two threads' ghost updates, so LKMM
     * answers only models where each ghost cell belongs to one thread.
     */
    private static void checkGhosts(Program program, List<List<Path>> paths) {
        int[] writer = new int[program.layout().ghostCells()];
        java.util.Arrays.fill(writer, -1);
        for (List<Path> ps : paths) {
            for (Path p : ps) {
                for (int slot : p.ghosts().keySet()) {
                    int g = slot - program.layout().ghostSlot(0);
                    if (writer[g] >= 0 && writer[g] != p.thread()) {
                        throw new LkmmError(0, 0, "ghost cell " + program.ghosts().get(g).name() + " is updated by "
                                + program.threads().get(writer[g]).name() + " and "
                                + program.threads().get(p.thread()).name() + "; under lkmm each ghost cell may be "
                                + "updated by one thread only, since an execution has no order between threads");
                    }
                    writer[g] = p.thread();
                }
            }
        }
    }

    /** The execution's final state: registers and ghost cells as the paths leave them, memory co-last. */
    static int[] finalStateOf(Program program, Execution x) {
        Layout l = program.layout();
        int[] s = program.initialState();
        Events ev = x.events();
        for (int t = 0; t < ev.paths.size(); t++) {
            Path p = ev.paths.get(t);
            int base = ev.readBase[t];
            Sym.Reads reads = slot -> x.readValue()[base + slot];
            for (int r = 0; r < p.registers().length; r++) {
                s[l.regSlot(t, r)] = value(p.registers()[r], reads);
            }
            for (var g : p.ghosts().entrySet()) {
                s[g.getKey()] = value(g.getValue(), reads);
            }
            s[l.pcSlot(t)] = program.threads().get(t).code().length - 1;
        }
        for (int c = 0; c < ev.cells; c++) {
            // herd7's final value is that of the last memory write; lock events write no value, so a
            // spinlock keeps its initial value (lock.cat flags a test that looks at it: lock-final)
            int last = c;
            for (int e = 0; e < ev.n; e++) {
                if (x.co().has(last, e) && x.loc()[e] == c && ev.kind[e] == EventKind.WRITE) {
                    last = e;
                }
            }
            s[l.memSlot(c)] = x.value()[last];
        }
        return s;
    }

    private static int value(Sym v, Sym.Reads reads) {
        long r = v.eval(reads);
        return r == Sym.UNKNOWN ? 0 : (int) r;
    }

    /** An assertion an execution breaks: its property name, message, and where it is. */
    public record BrokenAssertion(String property, String message, String thread, int line) {}

    /** A consistent execution kept to be shown (see {@link ExecutionTrace}). */
    public static final class Witness {
        final Execution execution;

        Witness(Execution execution) {
            this.execution = execution;
        }

        /** The assertions this execution breaks. */
        public List<BrokenAssertion> brokenChecks() {
            List<BrokenAssertion> out = new ArrayList<>();
            Events ev = execution.events();
            for (int t = 0; t < ev.paths.size(); t++) {
                int base = ev.readBase[t];
                Sym.Reads reads = slot -> execution.readValue()[base + slot];
                for (Path.Check c : ev.paths.get(t).checks()) {
                    if (value(c.cond(), reads) == 0) {
                        out.add(new BrokenAssertion(c.property(), c.message(), ev.program.threads().get(t).name(),
                                c.src().line()));
                    }
                }
            }
            return out;
        }
    }
}
