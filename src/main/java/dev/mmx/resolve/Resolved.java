package dev.mmx.resolve;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Model;
import dev.mmx.lang.SourcePos;
import java.util.List;
import java.util.Map;

/**
 * A model whose names, types, constants and parameters have been checked and
 * evaluated; {@code kitProperties} says, by invariant name (or final-condition
 * kind), which kernel-kit properties it uses, so violations can be explained.
 */
public record Resolved(Model model, Map<String, Integer> constants, Map<String, Type> constantTypes,
                       Map<String, Type> enums, Map<String, Variable> variables, Map<String, LockSym> locks,
                       Map<String, Decl.Proc> procs, List<ThreadSym> threads, Map<String, Integer> params,
                       List<Expectation> expectations, Map<String, List<String>> kitProperties) {

    /** A shared or ghost variable; {@code dims} is empty for scalars; {@code init} has one value per cell. */
    public record Variable(String name, boolean ghost, Type type, int[] dims, int[] init, SourcePos pos) {
        public int cells() {
            int n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }
    }

    public record LockSym(String name, Decl.LockKind kind, int[] dims, SourcePos pos) {
        public int cells() {
            int n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** A thread declaration; {@code count} is 0 for a single thread, else the number of copies. */
    public record ThreadSym(Decl.Thread decl, int count) {}

    /** One expected outcome: for this parameter variant, under these memory models. */
    public record Expectation(SourcePos pos, Map<String, Integer> variant, List<String> memoryModels,
                              String outcome, String property) {}
}
