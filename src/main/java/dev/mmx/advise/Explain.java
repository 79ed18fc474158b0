package dev.mmx.advise;

import dev.mmx.system.Step;
import dev.mmx.trace.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a model fails under a weak memory model: it is checked under sc and
 * under the weak model, and when only the weak model fails, the reorderings
 * its counterexample relies on are read off the trace, numbered, and marked
 * on the steps that performed the later access of each.
 */
public final class Explain {
    private Explain() {}

    /**
     * Both checks, the reorderings of the weak counterexample (empty unless sc
     * passes and the weak model fails) and the trace to show: that
     * counterexample with each reordering marked, or sc's own counterexample
     * when sc fails too, or null.
     */
    public record Explanation(String memoryModel, Checker.Outcome sc, Checker.Outcome weak,
                              List<Reordering> reorderings, Trace marked) {}

    public static Explanation run(String source, String mm, Checker checker) {
        Checker.Outcome sc = checker.check(source, "sc");
        Checker.Outcome weak = checker.check(source, mm);
        if (sc.fails()) {
            // the race needs no reordering: sc's counterexample is the one to read
            return new Explanation(mm, sc, weak, List.of(), sc.trace());
        }
        if (!sc.passes() || !weak.fails()) {
            return new Explanation(mm, sc, weak, List.of(), null);
        }
        List<Reordering> rs = Reorderings.of(weak.trace(), weak.program());
        return new Explanation(mm, sc, weak, rs, mark(weak.trace(), rs));
    }

    /** The trace with a note "[n] ..." on the step that performed the later access of reordering n. */
    static Trace mark(Trace t, List<Reordering> rs) {
        List<Trace.TraceStep> steps = new ArrayList<>();
        for (Trace.TraceStep s : t.steps()) {
            List<Trace.Effect> fx = new ArrayList<>(s.effects());
            for (int n = 0; n < rs.size(); n++) {
                Reordering r = rs.get(n);
                if (r.step() == s.index()) {
                    String text = "[" + (n + 1) + "] " + r.shape() + ": before line " + r.earlier().line();
                    fx.add(new Trace.Effect(Step.Effect.NOTE, "", text, text));
                }
            }
            steps.add(new Trace.TraceStep(s.index(), s.thread(), s.actor(), s.line(), s.op(), List.copyOf(fx),
                    s.note()));
        }
        return new Trace(t.model(), t.memoryModel(), t.params(), t.threads(), t.property(), t.message(), t.values(),
                List.copyOf(steps), t.transitions(), t.finalState(), t.states());
    }
}
