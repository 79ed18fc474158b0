package dev.mmx.resolve;

import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.List;

/** How an area of the kernel kit builds the steps its primitives stand for. */
interface KitSteps {
    /** One step of a primitive: an atomic block, a full barrier, with a note saying what it does. */
    Stmt step(Stmt.CallStmt call, String note, List<Stmt> body);

    /** {@code body} once for each CPU, with {@code var} the CPU number. */
    Stmt everyCpu(SourcePos p, String var, Stmt body);
}
