package dev.mmx.lang;

import java.util.List;

/** Expressions of the .mmx language, as written (names not yet resolved). */
public sealed interface Expr {
    SourcePos pos();

    record IntLit(SourcePos pos, long value) implements Expr {}

    record BoolLit(SourcePos pos, boolean value) implements Expr {}

    /** A name with optional indices: {@code x}, {@code pte[p]}, {@code tlb[c][p]}. */
    record Name(SourcePos pos, String name, List<Expr> indices) implements Expr {}

    /** A register of another thread, used in properties: {@code t0.r1}, {@code user[1].r}. */
    record ThreadReg(SourcePos pos, String thread, List<Expr> indices, String reg) implements Expr {}

    record Unary(SourcePos pos, String op, Expr operand) implements Expr {}

    record Binary(SourcePos pos, String op, Expr left, Expr right) implements Expr {}

    record Cond(SourcePos pos, Expr test, Expr then, Expr otherwise) implements Expr {}

    /** A call of a built-in such as READ_ONCE(x) or xchg(&x, 1). */
    record Call(SourcePos pos, String function, List<Expr> args) implements Expr {}

    /**
     * {@code forall v in lo..hi: body}; when {@code rangeName} is set the range
     * is an enum or a replicated thread's index range instead.
     */
    record Quant(SourcePos pos, boolean forall, String var, Expr lo, Expr hi, String rangeName, Expr body)
            implements Expr {}
}
