package dev.mmx.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.SourcePos;
import dev.mmx.lkmm.ExecutionTrace;
import dev.mmx.lkmm.LkmmError;
import dev.mmx.lkmm.Prepass;
import dev.mmx.lkmm.PropertyCheck;
import dev.mmx.system.Program;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code mmx check --mm lkmm}: an .mmx model whose threads have no loops,
 * asked whether the Linux-kernel memory model lets some execution break one
 * of its properties. Kept apart from the operational check so that the
 * command line can move it whole.
 */
final class LkmmCheck {
    private LkmmCheck() {}

    /** What the command asks for. {@code maxExecutions} and {@code timeLimit} bound the run. */
    record Request(Path file, Map<String, String> defines, boolean json, Path traceOut, boolean html,
                   long maxExecutions, double timeLimit) {}

    static int run(Request q, PrintWriter out, PrintWriter err) {
        String name = Pipeline.display(q.file());
        Pipeline.Parsed parsed = Pipeline.parse(q.file());
        if (!parsed.ok()) {
            parsed.diagnostics().forEach(err::println);
            return Main.BAD_INPUT;
        }
        Prepass.Result pre = Prepass.rewrite(parsed.model());
        if (!pre.ok()) {
            pre.diagnostics().forEach(err::println);
            return Main.BAD_INPUT;
        }
        Pipeline.Loaded loaded = Pipeline.compile(pre.model(), q.defines());
        if (!loaded.ok()) {
            loaded.diagnostics().forEach(err::println);
            return Main.BAD_INPUT;
        }
        Program program = loaded.program();
        long started = System.nanoTime();
        long deadline = q.timeLimit() > 0 ? started + (long) (q.timeLimit() * 1e9) : Long.MAX_VALUE;
        AtomicBoolean stop = new AtomicBoolean();
        Interrupt interrupt = Interrupt.install(stop);
        long[] seen = {0};
        PropertyCheck.Result r;
        try {
            r = PropertyCheck.run(program, pre.primitives(),
                    () -> !stop.get() && System.nanoTime() < deadline && ++seen[0] <= q.maxExecutions());
        } catch (LkmmError e) {
            interrupt.done();
            err.println(new Diagnostic(new SourcePos(name, e.line(), e.column()), e.getMessage()));
            return Main.BAD_INPUT;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Trace trace = null;
        Path written = null;
        Path page = null;
        if (r.violation() != null) {
            PropertyCheck.Violation v = r.violation();
            trace = ExecutionTrace.of(program, v.witness(), name, program.params(), v.property(), v.message(),
                    v.values());
            written = q.traceOut() != null ? q.traceOut() : CheckCommand.defaultTracePath(trace);
            try {
                TraceJson.write(trace, written);
            } catch (IOException e) {
                err.println("mmx check: cannot write the trace: " + e.getMessage());
                written = null;
            }
            if (q.html() && written != null) {
                page = ShowCommand.htmlBeside(written);
                try {
                    HtmlPage.write(trace, page);
                } catch (IOException e) {
                    err.println("mmx check: cannot write the HTML page: " + e.getMessage());
                    page = null;
                }
            }
        }
        String verdict = r.violation() != null ? "violation" : r.stopped() ? "incomplete" : "pass";
        if (q.json()) {
            JsonObject o = new JsonObject();
            o.addProperty("model", name);
            o.add("params", new GsonBuilder().create().toJsonTree(program.params()));
            o.addProperty("memoryModel", "lkmm");
            o.addProperty("verdict", verdict);
            o.addProperty("property", r.violation() == null ? null : r.violation().property());
            o.addProperty("message", r.violation() == null ? null : r.violation().message());
            o.addProperty("executions", r.executions());
            o.addProperty("candidates", r.candidates());
            o.add("flags", new GsonBuilder().create().toJsonTree(r.flags()));
            o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
            o.addProperty("trace", written == null ? null : Pipeline.display(written));
            o.addProperty("html", page == null ? null : Pipeline.display(page));
            out.println(new GsonBuilder().serializeNulls().create().toJson(o));
        } else {
            printText(out, r, trace, written, page, program);
            err.printf(Locale.ROOT, "mmx: %.2f s, %d candidate executions%n", seconds, r.candidates());
        }
        out.flush();
        err.flush();
        if (interrupt.done()) {
            return Main.INTERRUPTED;
        }
        return r.violation() != null ? Main.VIOLATION : r.stopped() ? Main.INCOMPLETE : Main.PASS;
    }

    /**
     * For mmx test: the verdict in the table's words ("pass", "violates NAME",
     * "incomplete", or "error: ..." for a model lkmm cannot answer).
     */
    static String verdict(Path file, Map<String, String> defines) {
        Pipeline.Parsed parsed = Pipeline.parse(file);
        if (!parsed.ok()) {
            return "error: " + parsed.diagnostics().get(0);
        }
        Prepass.Result pre = Prepass.rewrite(parsed.model());
        if (!pre.ok()) {
            return "error: " + pre.diagnostics().get(0);
        }
        Pipeline.Loaded loaded = Pipeline.compile(pre.model(), defines);
        if (!loaded.ok()) {
            return "error: " + loaded.diagnostics().get(0);
        }
        try {
            PropertyCheck.Result r = PropertyCheck.run(loaded.program(), pre.primitives(), () -> true);
            return r.violation() != null ? "violates " + r.violation().property() : "pass";
        } catch (LkmmError e) {
            return "error: " + new Diagnostic(new SourcePos(Pipeline.display(file), e.line(), e.column()),
                    e.getMessage());
        }
    }

    private static void printText(PrintWriter out, PropertyCheck.Result r, Trace trace, Path written, Path page,
                                  Program program) {
        String counts = r.executions() + (r.executions() == 1 ? " execution" : " executions") + " LKMM allows, of "
                + r.candidates() + " candidates";
        if (r.violation() != null) {
            out.println(CpuColumns.render(trace));
            out.println("violation: " + r.violation().property() + " in an execution LKMM allows (found after "
                    + counts + ")");
            if (written != null) {
                out.println("trace: " + Pipeline.display(written));
            }
            if (page != null) {
                out.println("view: " + Pipeline.display(page));
            }
        } else if (r.stopped()) {
            out.println("incomplete: a limit stopped the run");
            out.println("  checked " + counts + "; no violation found so far, which proves nothing");
        } else {
            out.println("pass: no violation in " + counts);
        }
        if (!r.flags().isEmpty()) {
            out.println("flags: " + String.join(", ", r.flags()) + " (raised by the model on some allowed execution)");
        }
        if (!program.invariants().isEmpty()) {
            out.println("note: under lkmm an execution has no intermediate states; invariants are checked on the "
                    + "final state of each execution");
        }
        boolean locks = program.memory().stream().anyMatch(c -> c.kind().lock());
        if (locks) {
            out.println("note: lkmm does not look for deadlocks (lock.cat builds no execution that never releases a "
                    + "lock to a waiter); check deadlocks under sc, tso or arm");
        }
    }
}
