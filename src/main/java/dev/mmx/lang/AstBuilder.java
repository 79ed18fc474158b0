package dev.mmx.lang;

import dev.mmx.lang.antlr.MmxParser;
import dev.mmx.lang.antlr.MmxParser.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds the immutable AST from ANTLR's parse tree. */
final class AstBuilder {
    private final String file;
    private final String source;
    private final List<Diagnostic> errors;

    AstBuilder(String file, String source, List<Diagnostic> errors) {
        this.file = file;
        this.source = source;
        this.errors = errors;
    }

    Model build(ModelContext ctx) {
        List<Decl> decls = new ArrayList<>();
        for (DeclContext d : ctx.decl()) {
            Decl decl = decl(d);
            if (decl != null) {
                decls.add(decl);
            }
        }
        return new Model(file, List.copyOf(decls));
    }

    private SourcePos pos(Token t) {
        return new SourcePos(file, t.getLine(), t.getCharPositionInLine() + 1);
    }

    private SourcePos pos(ParserRuleContext ctx) {
        return pos(ctx.getStart());
    }

    /** The source text of a rule, with runs of white space folded to one space. */
    private String text(ParserRuleContext ctx) {
        int from = ctx.getStart().getStartIndex();
        int to = ctx.getStop() == null ? from : ctx.getStop().getStopIndex();
        if (from < 0 || to < from || to >= source.length()) {
            return ctx.getText();
        }
        return source.substring(from, to + 1).replaceAll("\\s+", " ");
    }

    private String textUpTo(ParserRuleContext ctx, Token lastIncluded) {
        int from = ctx.getStart().getStartIndex();
        int to = lastIncluded.getStopIndex();
        return source.substring(from, to + 1).replaceAll("\\s+", " ");
    }

    private Decl decl(DeclContext d) {
        if (d instanceof ParamDeclContext c) {
            return new Decl.Param(pos(c.ID().getSymbol()), c.ID().getText(), expr(c.expr()));
        }
        if (d instanceof ConstDeclContext c) {
            return new Decl.Const(pos(c.ID().getSymbol()), c.ID().getText(), expr(c.expr()));
        }
        if (d instanceof EnumDeclContext c) {
            List<String> members = c.ID().stream().skip(1).map(TerminalNode::getText).toList();
            return new Decl.Enum(pos(c.ID(0).getSymbol()), c.ID(0).getText(), members);
        }
        if (d instanceof VarDeclContext c) {
            List<Expr> init = null;
            boolean list = false;
            if (c.value != null) {
                init = c.value.expr().stream().map(this::expr).toList();
                list = c.value.getChild(0).getText().equals("{");
            }
            Decl.Walk walk = c.walk == null ? null : new Decl.Walk(pos(c.walk), c.walk.getText(),
                    c.walks.expr().stream().map(this::expr).toList());
            return new Decl.Var(pos(c.ID().getSymbol()), c.storage.getText().equals("ghost"), c.type().getText(),
                    c.ID().getText(), dims(c.dims()), init, list, walk);
        }
        if (d instanceof LockDeclContext c) {
            Decl.LockKind kind = Decl.LockKind.SPINLOCK;
            for (Decl.LockKind k : Decl.LockKind.values()) {
                if (k.word.equals(c.kind.getText())) {
                    kind = k;
                }
            }
            return new Decl.Lock(pos(c.ID().getSymbol()), kind, c.ID().getText(), dims(c.dims()));
        }
        if (d instanceof ProcDeclContext c) {
            List<String> params = c.ID().stream().skip(1).map(TerminalNode::getText).toList();
            return new Decl.Proc(pos(c.ID(0).getSymbol()), c.ID(0).getText(), params, block(c.block()));
        }
        if (d instanceof ThreadDeclContext c) {
            Expr count = c.expr() == null ? null : expr(c.expr());
            String index = c.ID().size() > 1 ? c.ID(1).getText() : null;
            return new Decl.Thread(pos(c.ID(0).getSymbol()), c.ID(0).getText(), count, index, block(c.block()));
        }
        if (d instanceof InvariantDeclContext c) {
            return new Decl.Invariant(pos(c.ID().getSymbol()), c.ID().getText(), expr(c.expr()));
        }
        if (d instanceof FinalDeclContext c) {
            Decl.FinalKind kind = c.final_.getText().equals("exists") ? Decl.FinalKind.EXISTS : Decl.FinalKind.FORALL;
            return new Decl.Final(pos(c), kind, expr(c.expr()), text(c.expr()));
        }
        if (d instanceof NotExistsDeclContext c) {
            return new Decl.Final(pos(c), Decl.FinalKind.NOT_EXISTS, expr(c.expr()), text(c.expr()));
        }
        if (d instanceof ExpectDeclContext c) {
            return expect(c);
        }
        throw new IllegalStateException("unhandled declaration " + d.getClass());
    }

    private List<Expr> dims(DimsContext c) {
        return c == null ? List.of() : c.expr().stream().map(this::expr).toList();
    }

    private Decl expect(ExpectDeclContext c) {
        List<Decl.ParamSetting> variant = new ArrayList<>();
        if (c.variant() != null) {
            for (ParamSetContext p : c.variant().paramSet()) {
                variant.add(new Decl.ParamSetting(pos(p), p.ID().getText(), expr(p.expr())));
            }
        }
        // ID list: memory models ..., then outcome word, then optional property name
        List<TerminalNode> ids = c.ID();
        int mmCount = 0;
        for (int i = 0; i < c.getChildCount(); i++) {
            if (c.getChild(i).getText().equals(":")) {
                break;
            }
            if (c.getChild(i) instanceof TerminalNode t && t.getSymbol().getType() == MmxParser.ID) {
                mmCount++;
            }
        }
        List<String> mms = ids.subList(0, mmCount).stream().map(TerminalNode::getText).toList();
        String outcome = ids.get(mmCount).getText();
        String property = c.propName() == null ? null : c.propName().getText();
        return new Decl.Expect(pos(c), List.copyOf(variant), mms, outcome, property);
    }

    Stmt.Block block(BlockContext c) {
        List<Stmt> body = new ArrayList<>();
        for (StmtContext s : c.stmt()) {
            body.add(stmt(s));
        }
        return new Stmt.Block(pos(c), List.copyOf(body));
    }

    private Stmt stmt(StmtContext s) {
        if (s instanceof LocalStmtContext c) {
            return new Stmt.Local(pos(c.ID().getSymbol()), text(c), c.type().getText(), c.ID().getText(), c.expr() == null ? null : expr(c.expr()));
        }
        if (s instanceof BlockStmtContext c) {
            return block(c.block());
        }
        if (s instanceof IfStmtContext c) {
            return new Stmt.If(pos(c), "if (" + text(c.expr()) + ")", expr(c.expr()), stmt(c.stmt(0)), c.stmt().size() > 1 ? stmt(c.stmt(1)) : null);
        }
        if (s instanceof WhileStmtContext c) {
            return new Stmt.While(pos(c), "while (" + text(c.expr()) + ")", expr(c.expr()), stmt(c.stmt()));
        }
        if (s instanceof ForStmtContext c) {
            return new Stmt.For(pos(c), c.ID().getText(), expr(c.expr(0)), expr(c.expr(1)), stmt(c.stmt()));
        }
        if (s instanceof AwaitStmtContext c) {
            return new Stmt.Await(pos(c), text(c), expr(c.expr()));
        }
        if (s instanceof AtomicStmtContext c) {
            return new Stmt.Atomic(pos(c), "atomic { ... }", block(c.block()));
        }
        if (s instanceof EitherStmtContext c) {
            return new Stmt.Either(pos(c), "either", c.block().stream().map(this::block).toList());
        }
        if (s instanceof AssumeStmtContext c) {
            return new Stmt.Assume(pos(c), text(c), expr(c.expr()));
        }
        if (s instanceof AssertStmtContext c) {
            String msg = c.STRING() == null ? null : unquote(c.STRING().getText()); return new Stmt.Assert(pos(c), text(c), expr(c.expr()), msg);
        }
        if (s instanceof BreakStmtContext c) {
            return new Stmt.Break(pos(c));
        }
        if (s instanceof ContinueStmtContext c) {
            return new Stmt.Continue(pos(c));
        }
        if (s instanceof SkipStmtContext c) {
            return new Stmt.Skip(pos(c), text(c));
        }
        if (s instanceof AssignStmtContext c) {
            return new Stmt.Assign(pos(c), text(c), lvalue(c.lvalue()), c.op.getText(), expr(c.expr()));
        }
        if (s instanceof IncStmtContext c) {
            return new Stmt.Assign(pos(c), text(c), lvalue(c.lvalue()), c.op.getText().equals("++") ? "+=" : "-=", new Expr.IntLit(pos(c.op), 1));
        }
        if (s instanceof CallStmtContext c) {
            return new Stmt.CallStmt(pos(c), text(c), new Expr.Call(pos(c), c.ID().getText(), args(c.args())));
        }
        throw new IllegalStateException("unhandled statement " + s.getClass());
    }

    private static String unquote(String s) {
        return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private Expr.Name lvalue(LvalueContext c) {
        return new Expr.Name(pos(c), c.ID().getText(), c.expr().stream().map(this::expr).toList());
    }

    private List<Expr> args(ArgsContext c) {
        return c == null ? List.of() : c.expr().stream().map(this::expr).toList();
    }

    Expr expr(ExprContext e) {
        if (e instanceof QuantExprContext c) {
            RangeContext r = c.range(); boolean forall = c.quant.getText().equals("forall"); if (r.ID() != null) { return new Expr.Quant(pos(c), forall, c.ID().getText(), null, null, r.ID().getText(), expr(c.expr())); } return new Expr.Quant(pos(c), forall, c.ID().getText(), expr(r.expr(0)), expr(r.expr(1)), null, expr(c.expr()));
        }
        if (e instanceof CondExprContext c) {
            return new Expr.Cond(pos(c), expr(c.expr(0)), expr(c.expr(1)), expr(c.expr(2)));
        }
        if (e instanceof OrExprContext c) {
            return binary(c, "||", c.expr(0), c.expr(1));
        }
        if (e instanceof AndExprContext c) {
            return binary(c, "&&", c.expr(0), c.expr(1));
        }
        if (e instanceof BitOrExprContext c) {
            return binary(c, "|", c.expr(0), c.expr(1));
        }
        if (e instanceof BitXorExprContext c) {
            return binary(c, "^", c.expr(0), c.expr(1));
        }
        if (e instanceof BitAndExprContext c) {
            return binary(c, "&", c.expr(0), c.expr(1));
        }
        if (e instanceof EqExprContext c) {
            return binary(c, c.op.getText(), c.expr(0), c.expr(1));
        }
        if (e instanceof RelExprContext c) {
            return binary(c, c.op.getText(), c.expr(0), c.expr(1));
        }
        if (e instanceof ShiftExprContext c) {
            return binary(c, c.op.getText(), c.expr(0), c.expr(1));
        }
        if (e instanceof AddExprContext c) {
            return binary(c, c.op.getText(), c.expr(0), c.expr(1));
        }
        if (e instanceof MulExprContext c) {
            return binary(c, c.op.getText(), c.expr(0), c.expr(1));
        }
        if (e instanceof UnaryExprContext c) {
            return new Expr.Unary(pos(c), c.op.getText(), expr(c.expr()));
        }
        if (e instanceof PrimaryExprContext c) {
            return primary(c.primary());
        }
        throw new IllegalStateException("unhandled expression " + e.getClass());
    }

    private Expr binary(ExprContext c, String op, ExprContext l, ExprContext r) {
        // the operator's own position reads best in messages about it
        return new Expr.Binary(pos(l), op, expr(l), expr(r));
    }

    private Expr primary(PrimaryContext p) {
        if (p instanceof IntLitContext c) {
            return intLit(c);
        }
        if (p instanceof BoolLitContext c) {
            return new Expr.BoolLit(pos(c), c.getText().equals("true"));
        }
        if (p instanceof CallExprContext c) {
            return new Expr.Call(pos(c), c.ID().getText(), args(c.args()));
        }
        if (p instanceof ThreadRegExprContext c) {
            return new Expr.ThreadReg(pos(c), c.ID(0).getText(), c.expr().stream().map(this::expr).toList(), c.ID(1).getText());
        }
        if (p instanceof NameExprContext c) {
            return new Expr.Name(pos(c), c.ID().getText(), c.expr().stream().map(this::expr).toList());
        }
        if (p instanceof ParenExprContext c) {
            return expr(c.expr());
        }
        throw new IllegalStateException("unhandled primary " + p.getClass());
    }

    private Expr intLit(IntLitContext c) {
        String t = c.getText();
        try {
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return new Expr.IntLit(pos(c), v);
        } catch (NumberFormatException ex) {
            errors.add(new Diagnostic(pos(c), "the number " + t + " is too large; values are 32-bit signed integers"));
            return new Expr.IntLit(pos(c), 0);
        }
    }
}
