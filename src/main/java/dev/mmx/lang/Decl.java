package dev.mmx.lang;

import java.util.List;

/** Top-level declarations of a model. */
public sealed interface Decl {
    SourcePos pos();

    String name();

    record Param(SourcePos pos, String name, Expr value) implements Decl {}

    record Const(SourcePos pos, String name, Expr value) implements Decl {}

    record Enum(SourcePos pos, String name, List<String> members) implements Decl {}

    /**
     * A shared (memory-model) or ghost (instrumentation) variable or array;
     * {@code walk} is the TLB declaration's page walk ({@code walks {pte, ...}}), or null.
     */
    record Var(SourcePos pos, boolean ghost, String type, String name, List<Expr> dims, List<Expr> init,
               boolean listInit, Walk walk) implements Decl {
        public Var(SourcePos pos, boolean ghost, String type, String name, List<Expr> dims, List<Expr> init,
                   boolean listInit) {
            this(pos, ghost, type, name, dims, init, listInit, null);
        }
    }

    /** {@code walks {e0, e1}} or {@code prefetches {...}}: the PTE each address's walk reaches. */
    record Walk(SourcePos pos, String word, List<Expr> ptes) {}

    record Lock(SourcePos pos, LockKind kind, String name, List<Expr> dims) implements Decl {}

    record Proc(SourcePos pos, String name, List<String> params, Stmt.Block body) implements Decl {}

    /** A thread; {@code count} is null for a single thread, else the number of copies. */
    record Thread(SourcePos pos, String name, Expr count, String indexVar, Stmt.Block body) implements Decl {}

    record Invariant(SourcePos pos, String name, Expr cond) implements Decl {}

    /** A litmus-style condition on final states: exists, ~exists or forall. */
    record Final(SourcePos pos, FinalKind kind, Expr cond, String text) implements Decl {
        public String name() {
            return kind.word;
        }
    }

    /** {@code expect [P=v, ...] sc, tso: violates name;} */
    record Expect(SourcePos pos, List<ParamSetting> variant, List<String> memoryModels, String outcome,
                  String property) implements Decl {
        public String name() {
            return "expect";
        }
    }

    record ParamSetting(SourcePos pos, String name, Expr value) {}

    enum LockKind {
        SPINLOCK("spinlock"), MUTEX("mutex"), RWSEM("rwsem"), RWLOCK("rwlock");

        public final String word;

        LockKind(String word) {
            this.word = word;
        }

        public boolean shared() {
            return this == RWSEM || this == RWLOCK;
        }
    }

    enum FinalKind {
        EXISTS("exists"), NOT_EXISTS("~exists"), FORALL("forall");

        public final String word;

        FinalKind(String word) {
            this.word = word;
        }
    }
}
