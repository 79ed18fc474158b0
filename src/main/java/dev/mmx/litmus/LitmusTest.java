package dev.mmx.litmus;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Model;
import java.util.List;

/**
 * An imported litmus test: the model it became, its final condition as herd7
 * prints it, and the locations herd7 shows in each final state, in herd7's
 * order (registers by thread and name, then memory by name).
 */
public record LitmusTest(String name, String arch, Model model, Decl.FinalKind kind, String condition,
                         List<Observed> observed) {

    /**
     * A shown location: a register of thread {@code thread} (its .mmx name, and
     * the name the test wrote, e.g. X1 for W1) or, with thread -1, a memory location.
     */
    public record Observed(int thread, String name, String display) {
        public boolean memory() {
            return thread < 0;
        }
    }

    /** The memory model a test of this architecture is checked under by default. */
    public String defaultMemoryModel() {
        return arch.equals("AArch64") ? "arm" : "tso";
    }

    /** herd7's word for the kind of condition: Allowed (exists), Forbidden (~exists), Required (forall). */
    public String kindWord() {
        return switch (kind) {
            case EXISTS -> "Allowed";
            case NOT_EXISTS -> "Forbidden";
            case FORALL -> "Required";
        };
    }
}
