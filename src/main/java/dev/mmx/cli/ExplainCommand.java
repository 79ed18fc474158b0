package dev.mmx.cli;

import dev.mmx.advise.Checker;
import dev.mmx.advise.Explain;
import dev.mmx.advise.Reordering;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx explain: which reorderings a weak-memory counterexample relies on. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Check a model under sc and a weak memory model; when only the weak model fails, name each "
                + "reordering its counterexample relies on and the program-order edge that would rule it out.%n"
                + "Exit codes: 0 the weak model passes, 1 it fails, 2 bad input, 3 incomplete.")
public final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.mmx", description = "The model to explain.")
    Path file;

    @Option(names = "--mm", defaultValue = "arm", paramLabel = "MODEL",
            description = "The weak memory model: tso or arm (default: ${DEFAULT-VALUE}).")
    String mm;

    @Option(names = "-D", paramLabel = "NAME=VALUE", description = "Set a model parameter.")
    Map<String, String> defines = new LinkedHashMap<>();

    @Option(names = "--html", description = "Also write the marked counterexample as an HTML page beside its "
            + "JSON trace.")
    boolean html;

    @Option(names = "--trace-out", paramLabel = "FILE", description = "Where to write the counterexample "
            + "(default: counterexamples/MODEL[-PARAMS]-MM.json).")
    Path traceOut;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!mm.equals("tso") && !mm.equals("arm")) {
            err.println("mmx explain: --mm must be tso or arm, not '" + mm + "'");
            return Main.BAD_INPUT;
        }
        AdviceInput in = AdviceInput.load(file, defines, err);
        if (in == null) {
            return Main.BAD_INPUT;
        }
        Explain.Explanation x = Explain.run(in.text(), mm, in.checker());
        int code = print(x, in.name(), out, err);
        out.flush();
        return code;
    }

    private int print(Explain.Explanation x, String name, PrintWriter out, PrintWriter err) {
        Checker.Outcome sc = x.sc();
        Checker.Outcome weak = x.weak();
        if (incomplete(sc) || incomplete(weak)) {
            out.println("incomplete: " + (incomplete(sc) ? sc.note() : weak.note()));
            return Main.INCOMPLETE;
        }
        out.println(name + ": " + verdict(sc, "sc") + "; " + verdict(weak, mm) + ".");
        if (sc.fails()) {
            out.println("The race needs no reordering, so no barrier can fix it; this is its counterexample under "
                    + "sc:");
        } else if (weak.passes()) {
            out.println("Nothing to explain: no reordering " + mm + " allows breaks the model.");
            return Main.PASS;
        }
        out.println();
        out.print(CpuColumns.render(x.marked()));
        out.println();
        if (sc.passes()) {
            int n = x.reorderings().size();
            out.println(n == 0 ? "No reordering was found in this trace."
                    : "The counterexample relies on " + n + (n == 1 ? " reordering:" : " reorderings:"));
            for (int i = 0; i < n; i++) {
                Reordering r = x.reorderings().get(i);
                out.println("  [" + (i + 1) + "] " + r.sentence());
                out.println("      " + r.edge(mm));
            }
        }
        write(x, out, err);
        return weak.fails() ? Main.VIOLATION : Main.PASS;
    }

    private static boolean incomplete(Checker.Outcome o) {
        return !o.passes() && !o.fails();
    }

    private static String verdict(Checker.Outcome o, String mm) {
        return o.passes() ? "passes under " + mm + " (" + o.states() + " states)"
                : "violates " + o.trace().property() + " under " + mm;
    }

    private void write(Explain.Explanation x, PrintWriter out, PrintWriter err) {
        Path json = traceOut != null ? traceOut : CheckCommand.defaultTracePath(x.marked());
        try {
            TraceJson.write(x.marked(), json);
            out.println("trace: " + Pipeline.display(json));
            if (html) {
                Path page = ShowCommand.htmlBeside(json);
                HtmlPage.write(x.marked(), page);
                out.println("view: " + Pipeline.display(page));
            }
        } catch (IOException e) {
            err.println("mmx explain: cannot write the trace: " + e.getMessage());
        }
    }
}
