package dev.mmx.lkmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.explore.Options;
import dev.mmx.litmus.HerdReport;
import dev.mmx.litmus.LitmusParser;
import java.util.List;

/** Answers a C litmus test written inline under lkmm, as {@code mmx litmus --mm lkmm} would. */
final class LkmmFixture {
    private LkmmFixture() {}

    static LitmusRun.Outcome outcome(String litmus) {
        LitmusParser.Result parsed = LitmusParser.parse("t.litmus", litmus);
        assertTrue(parsed.ok(), () -> "imports: " + parsed.diagnostics());
        LitmusRun.Prepared p = LitmusRun.prepare(parsed.test(), "lkmm");
        assertTrue(p.ok(), () -> "compiles: " + p.diagnostics());
        return LitmusRun.runLkmm(parsed.test(), p.program(), p.primitives(), Options.defaults());
    }

    static HerdReport answer(String litmus) {
        LitmusRun.Outcome o = outcome(litmus);
        assertTrue(o.answered(), () -> "answered: " + o.error());
        return o.report();
    }

    /** herd7's lines from States to Observation, without the Test and Time lines. */
    static String lines(String litmus) {
        List<String> l = answer(litmus).lines();
        return String.join("\n", l.subList(1, l.size() - 1));
    }
}
