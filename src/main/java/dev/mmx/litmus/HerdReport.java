package dev.mmx.litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A litmus answer in herd7's shape, line for line, so that scripts written for
 * herd7 logs read mmx's too. Under sc, tso and arm {@code positive} and
 * {@code negative} count distinct final states; under lkmm they count
 * executions, as herd7 does (several executions can end in one state).
 * {@code flags} are the model's flags some execution raised (LKMM's
 * data-race, ...), printed as herd7 prints them.
 */
public record HerdReport(LitmusTest test, List<String> states, long positive, long negative, double seconds,
                         List<String> flags) {

    public HerdReport(LitmusTest test, List<String> states, long positive, long negative, double seconds) {
        this(test, states, positive, negative, seconds, List.of());
    }

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
        // herd7 prints one line per flag raised, in name order, between the counts and the condition
        flags.forEach(f -> out.add("Flag " + f));
        out.add("Condition " + test.condition());
        out.add("Observation " + test.name() + " " + observation() + " " + positive + " " + negative);
        out.add(String.format(Locale.ROOT, "Time %s %.2f", test.name(), seconds));
        return out;
    }
}
