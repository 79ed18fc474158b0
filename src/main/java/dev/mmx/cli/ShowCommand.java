package dev.mmx.cli;

import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx show: the CPU-column rendering of a saved trace, as text or as an HTML page. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print a saved trace as CPU columns, one column per thread, one row per step.%n"
                + "With --html, write a self-contained page instead, with the state after every step.")
public final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE.json")
    Path file;

    @Option(names = "--state", description = "Also print the whole final state.")
    boolean state;

    @Option(names = "--html", description = "Write an HTML page (default: beside the trace, as TRACE.html).")
    boolean html;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where --html writes the page.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (output != null && !html) {
            spec.commandLine().getErr().println("mmx show: -o names the HTML page; use it with --html");
            return Main.BAD_INPUT;
        }
        Trace t;
        try {
            t = TraceJson.read(file);
        } catch (TraceJson.BadTrace e) {
            spec.commandLine().getErr().println("mmx show: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (html) {
            return writeHtml(t);
        }
        spec.commandLine().getOut().print(CpuColumns.render(t));
        if (state) {
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().print("final state:\n" + CpuColumns.renderState(t.finalState()));
        }
        spec.commandLine().getOut().flush();
        return Main.PASS;
    }

    private int writeHtml(Trace t) {
        Path page = output != null ? output : htmlBeside(file);
        try {
            HtmlPage.write(t, page);
        } catch (IOException e) {
            spec.commandLine().getErr().println("mmx show: cannot write " + Pipeline.display(page) + ": "
                    + e.getMessage());
            return Main.BAD_INPUT;
        }
        spec.commandLine().getOut().println("wrote " + Pipeline.display(page));
        spec.commandLine().getOut().flush();
        return Main.PASS;
    }

    /** TRACE.json → TRACE.html in the same folder. */
    static Path htmlBeside(Path trace) {
        String name = trace.getFileName().toString().replaceFirst("\\.json$", "");
        return trace.resolveSibling(name + ".html");
    }
}
