package dev.mmx.litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A litmus answer in herd7's shape, line for line, so that scripts written for
 * herd7 logs read mmx's too. {@code positive} and {@code negative} count
 * distinct final states (herd7 counts candidate executions, several of which
 * can end in one state).
 */
public record HerdReport(LitmusTest test, List<String> states, int positive, int negative, double seconds) {

    /** Whether the condition holds: some state satisfies exists, none ~exists, all forall. */
    public boolean ok() {
        return switch (test.kind()) {
            case EXISTS -> positive > 0;
            case NOT_EXISTS -> positive == 0;
            case FORALL -> negative == 0;
        };
    }

    /** Never, Sometimes or Always: how often the condition's proposition holds. */
    public String observation() {
        return positive == 0 ? "Never" : negative == 0 ? "Always" : "Sometimes";
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Test " + test.name() + " " + test.kindWord());
        out.add("States " + states.size());
        out.addAll(states);
        out.add(ok() ? "Ok" : "No");
        out.add("Witnesses");
        // herd7 reports ~exists witnesses the other way round: a state satisfying it refutes it
        boolean swap = test.kind() == dev.mmx.lang.Decl.FinalKind.NOT_EXISTS;
        out.add("Positive: " + (swap ? negative : positive) + " Negative: " + (swap ? positive : negative));
        out.add("Condition " + test.condition());
        out.add("Observation " + test.name() + " " + observation() + " " + positive + " " + negative);
        out.add(String.format(Locale.ROOT, "Time %s %.2f", test.name(), seconds));
        return out;
    }
}
