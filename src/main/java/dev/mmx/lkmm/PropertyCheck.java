package dev.mmx.lkmm;

import dev.mmx.system.CExpr;
import dev.mmx.system.Layout;
import dev.mmx.system.MemoryReader;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * An .mmx model's properties under LKMM: every execution the model allows is
 * checked for a broken assertion, then, on its final state, for a broken
 * invariant or final condition (as the operational models check a final
 * state). An execution has no intermediate states, so invariants are checked
 * at its end only, and deadlocks are not looked for: lock.cat leaves no
 * execution in which a lock is never released to a waiter.
 */
public final class PropertyCheck {
    private PropertyCheck() {}

    /** A violation: the property, what broke it, the values involved, and the execution that does. */
    public record Violation(String property, String message, List<String> values, Lkmm.Witness witness) {}

    /**
     * The first violation, or null when none; {@code executions} and the rest of
     * the summary come with it. {@code stopped} is set when {@code keepGoing} ended the run.
     */
    public record Result(Violation violation, long executions, long candidates, Set<String> flags, boolean stopped) {}

    public static Result run(Program program, Primitives primitives, BooleanSupplier keepGoing) {
        Layout l = program.layout();
        MemoryReader memory = (s, cell) -> s[l.memSlot(cell)];
        Violation[] found = new Violation[1];
        Lkmm.Summary sum = Lkmm.run(program, primitives, Set.of(), o -> {
            found[0] = violation(program, o, memory);
            return found[0] == null;
        }, keepGoing);
        boolean stopped = sum.stopped() && found[0] == null;
        return new Result(found[0], sum.consistent(), sum.candidates(), new TreeSet<>(sum.flags()), stopped);
    }

    private static Violation violation(Program p, Lkmm.Outcome o, MemoryReader memory) {
        int[] s = o.state();
        if (o.fault() != null) {
            return new Violation(o.fault().property(), o.fault().message(), List.of(), o.witness());
        }
        for (Lkmm.BrokenAssertion b : o.witness().brokenChecks()) {
            // worded as the operational models word it: the user's assert, or a check with its own fault name
            String message = b.property().equals("assert") ? "assertion failed: " + b.message() : b.message();
            return new Violation(b.property(), message + " (" + b.thread() + ", line " + b.line() + ")", List.of(),
                    o.witness());
        }
        for (Program.Invariant inv : p.invariants()) {
            try {
                if (inv.cond().eval(s, memory) == 0) {
                    return new Violation(inv.name(), "invariant " + inv.name() + " (line " + inv.line()
                            + ") does not hold at the end of this execution", valuesRead(p, inv.cond(), s), o.witness());
                }
            } catch (ModelFault f) {
                return new Violation(inv.name(), "invariant " + inv.name() + " (line " + inv.line()
                        + ") cannot be evaluated: " + f.getMessage(), List.of(), o.witness());
            }
        }
        for (Program.FinalCondition f : p.finals()) {
            boolean holds;
            try {
                holds = f.cond().eval(s, memory) != 0;
            } catch (ModelFault e) {
                return new Violation(f.kind(), "the final condition cannot be evaluated: " + e.getMessage(),
                        List.of(), o.witness());
            }
            if (f.kind().equals("forall") ? !holds : holds) {
                String what = f.kind().equals("forall") ? "a final state breaks forall (" + f.text() + ")"
                        : "a final state satisfies " + f.kind() + " (" + f.text() + ")";
                return new Violation(f.kind().equals("forall") ? "forall" : "exists", what,
                        valuesRead(p, f.cond(), s), o.witness());
            }
        }
        return null;
    }

    /** "name = value" for each shared cell and register a property reads, once each, in order. */
    private static List<String> valuesRead(Program p, CExpr e, int[] s) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(p, e, s, out);
        List<String> list = new ArrayList<>();
        out.forEach((k, v) -> list.add(k + " = " + v));
        return list;
    }

    private static void collect(Program p, CExpr e, int[] s, Map<String, String> out) {
        Layout l = p.layout();
        if (e instanceof CExpr.Mem m) {
            Program.Cell c = p.memory().get(m.cell());
            out.put(c.name(), c.type().format(s[l.memSlot(m.cell())]));
        } else if (e instanceof CExpr.MemArray m) {
            for (int i = 0; i < m.length(); i++) {
                Program.Cell c = p.memory().get(m.base() + i);
                out.put(c.name(), c.type().format(s[l.memSlot(m.base() + i)]));
            }
        } else if (e instanceof CExpr.Slot sl) {
            slot(p, sl.slot(), s, out);
        } else if (e instanceof CExpr.SlotArray sa) {
            for (int i = 0; i < sa.length(); i++) {
                slot(p, sa.base() + i, s, out);
            }
        } else if (e instanceof CExpr.Unary u) {
            collect(p, u.operand(), s, out);
        } else if (e instanceof CExpr.Binary b) {
            collect(p, b.left(), s, out);
            collect(p, b.right(), s, out);
        } else if (e instanceof CExpr.Ite i) {
            collect(p, i.test(), s, out);
            collect(p, i.then(), s, out);
            collect(p, i.otherwise(), s, out);
        }
    }

    private static void slot(Program p, int slot, int[] s, Map<String, String> out) {
        Layout l = p.layout();
        for (int g = 0; g < p.ghosts().size(); g++) {
            if (l.ghostSlot(g) == slot) {
                out.put(p.ghosts().get(g).name(), p.ghosts().get(g).type().format(s[slot]));
                return;
            }
        }
        for (int t = 0; t < p.threads().size(); t++) {
            List<Program.Register> regs = p.threads().get(t).regs();
            for (int r = 0; r < regs.size(); r++) {
                if (l.regSlot(t, r) == slot) {
                    out.put(p.threads().get(t).name() + "." + regs.get(r).name(), regs.get(r).type().format(s[slot]));
                    return;
                }
            }
        }
    }
}
