package dev.mmx.lang;

import java.util.List;

/** Statements of a thread or procedure body; {@code text} is the statement as written. */
public sealed interface Stmt {
    SourcePos pos();

    record Local(SourcePos pos, String text, String type, String name, Expr init) implements Stmt {}

    record Block(SourcePos pos, List<Stmt> body) implements Stmt {}

    record If(SourcePos pos, String text, Expr cond, Stmt then, Stmt otherwise) implements Stmt {}

    record While(SourcePos pos, String text, Expr cond, Stmt body) implements Stmt {}

    /** A bounded loop unrolled at compile time: the variable is a constant in each copy. */
    record For(SourcePos pos, String var, Expr lo, Expr hi, Stmt body) implements Stmt {}

    record Await(SourcePos pos, String text, Expr cond) implements Stmt {}

    /**
     * An atomic block. A kernel primitive's block has a {@code note} saying in
     * words what it does, and {@code fence} false when, unlike a user's block,
     * it orders nothing after it (see the language reference); {@code x86Only}
     * names what of it holds only on x86 (sc and tso follow x86), not on arm64.
     */
    record Atomic(SourcePos pos, String text, Block body, String note, boolean fence, X86Only x86Only)
            implements Stmt {
        public Atomic(SourcePos pos, String text, Block body) {
            this(pos, text, body, null, true, X86Only.NOTHING);
        }
    }

    /** What of a kernel primitive's block holds only on x86. */
    enum X86Only {
        NOTHING,
        /** Its leading await: an IPI shootdown's wait (arm64 broadcasts a TLBI that waits for no one). */
        WAIT,
        /** Its full barrier: a serialising instruction (INVLPG; arm64's DSB NSH orders only for this CPU). */
        FENCE
    }

    record Either(SourcePos pos, String text, List<Block> branches) implements Stmt {}

    record Assume(SourcePos pos, String text, Expr cond) implements Stmt {}

    record Assert(SourcePos pos, String text, Expr cond, String message, String property) implements Stmt {
        /** A user's assertion, whose violation is named assert. */
        public Assert(SourcePos pos, String text, Expr cond, String message) {
            this(pos, text, cond, message, null);
        }
    }

    record Break(SourcePos pos) implements Stmt {}

    record Continue(SourcePos pos) implements Stmt {}

    record Skip(SourcePos pos, String text) implements Stmt {}

    /** {@code target op value} with op one of =, +=, -= ({@code x++} is {@code x += 1}). */
    record Assign(SourcePos pos, String text, Expr.Name target, String op, Expr value) implements Stmt {}

    /** A call used as a statement: a built-in (WRITE_ONCE, spin_lock, smp_mb, ...) or a procedure. */
    record CallStmt(SourcePos pos, String text, Expr.Call call) implements Stmt {}
}
