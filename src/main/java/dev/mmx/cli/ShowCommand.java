package dev.mmx.cli;

import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx show: the CPU-column rendering of a saved trace. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print a saved trace as CPU columns, one column per thread, one row per step.")
public final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE.json")
    Path file;

    @Option(names = "--state", description = "Also print the whole final state.")
    boolean state;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Trace t;
        try {
            t = TraceJson.read(file);
        } catch (TraceJson.BadTrace e) {
            spec.commandLine().getErr().println("mmx show: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        spec.commandLine().getOut().print(CpuColumns.render(t));
        if (state) {
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().print("final state:\n" + CpuColumns.renderState(t.finalState()));
        }
        spec.commandLine().getOut().flush();
        return Main.PASS;
    }
}
