package dev.mmx.advise;

import dev.mmx.lang.Model;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Searches the smallest sets of changes (barriers, acquire/release upgrades)
 * that make a model pass under a weak memory model.
 *
 * <p>The search is guided by counterexamples. Every failing check yields a
 * trace, and a fix must forbid at least one reordering that trace relies on
 * (a change that forbids none of them leaves the trace possible), so each
 * trace adds a constraint "one of these changes". Only sets that meet every
 * constraint are checked, only changes some counterexample needs are tried,
 * and no set that contains a proven fix is tried. A size is finished when no
 * unchecked set of that size or smaller meets the constraints; the first
 * size with a fix ends the search, so every minimal fix up to that size is
 * found. Each fix is then checked again from scratch on its patched text.
 */
public final class FenceSearch {
    private final String name;
    private final String source;
    private final String mm;
    private final Checker checker;
    private List<Change> candidates;
    private final List<BitSet> constraints = new ArrayList<>();
    private final Set<BitSet> checked = new HashSet<>();
    private final List<BitSet> fixes = new ArrayList<>();
    private int checks;
    private String incomplete;

    public enum Answer { NOTHING_TO_FIX, FAILS_UNDER_SC, FIXES, NO_FIX, INCOMPLETE }

    /** A proven fix: its changes, their total cost, the diff of the model file and the states of its re-check. */
    public record Fix(List<Change> changes, int cost, String diff, long states) {}

    /** What the search found, how many checks it ran and how long it took; {@code note} explains the answer. */
    public record Report(String memoryModel, Answer answer, List<Fix> fixes, int maxChanges, int checks,
                         double seconds, String note) {}

    private FenceSearch(String name, String source, String mm, Checker checker, List<Change> candidates) {
        this.name = name;
        this.source = source;
        this.mm = mm;
        this.checker = checker;
        this.candidates = sorted(candidates);
    }

    private static List<Change> sorted(List<Change> candidates) {
        return candidates.stream()
                .sorted(Comparator.comparingInt(Change::cost).thenComparingInt(Change::line)
                        .thenComparing(Change::kind))
                .toList();
    }

    public static Report search(String name, String source, Model model, String mm, Checker checker,
                                int maxChanges) {
        long start = System.nanoTime();
        FenceSearch s = new FenceSearch(name, source, mm, checker, Candidates.of(model, source, mm));
        Report r = s.run(maxChanges);
        return new Report(mm, r.answer(), r.fixes(), maxChanges, s.checks, (System.nanoTime() - start) / 1e9,
                r.note());
    }

    private Report run(int maxChanges) {
        Checker.Outcome sc = check(source, "sc");
        if (!sc.passes()) {
            return sc.fails() ? answer(Answer.FAILS_UNDER_SC, "the model violates " + sc.trace().property()
                    + " under sc, where nothing is reordered, so no barrier can fix it")
                    : answer(Answer.INCOMPLETE, "the check under sc is incomplete: " + sc.note());
        }
        Checker.Outcome base = check(source, mm);
        if (base.passes()) {
            return answer(Answer.NOTHING_TO_FIX, "the model already passes under " + mm);
        }
        if (!base.fails()) {
            return answer(Answer.INCOMPLETE, "the check under " + mm + " is incomplete: " + base.note());
        }
        candidates = sorted(Candidates.distinct(candidates, base.program()));
        learn(base, new BitSet(), new Patch(source, identity()));
        for (int k = 1; k <= maxChanges && fixes.isEmpty() && incomplete == null; k++) {
            boolean learned = true;
            while (learned && incomplete == null) {
                learned = level(k);
            }
        }
        if (incomplete != null) {
            return answer(Answer.INCOMPLETE, incomplete);
        }
        if (fixes.isEmpty()) {
            return answer(Answer.NO_FIX, "no fix within " + maxChanges + (maxChanges == 1 ? " change" : " changes"));
        }
        List<Fix> proven = new ArrayList<>();
        for (BitSet f : fixes) {
            proven.add(prove(f));
        }
        proven.sort(Comparator.comparingInt((Fix f) -> f.changes().size()).thenComparingInt(Fix::cost)
                .thenComparing(FenceSearch::mixed).thenComparingLong(FenceSearch::upgrades));
        return new Report(mm, Answer.FIXES, List.copyOf(proven), maxChanges, checks, 0, null);
    }

    /**
     * Among fixes of equal size and cost, the textbook pairings first: barriers
     * only (smp_wmb with smp_rmb), then upgrades only (release with acquire),
     * then mixtures.
     */
    private static boolean mixed(Fix f) {
        long up = upgrades(f);
        return up > 0 && up < f.changes().size();
    }

    private static long upgrades(Fix f) {
        return f.changes().stream().filter(c -> !c.kind().barrier()).count();
    }

    private Report answer(Answer a, String note) {
        return new Report(mm, a, List.of(), 0, checks, 0, note);
    }

    /** One pass over every set of at most k changes; true when a new counterexample added a constraint. */
    private boolean level(int k) {
        BitSet universe = new BitSet();
        constraints.forEach(universe::or);
        int[] pool = universe.stream().toArray();
        int before = constraints.size();
        for (int size = 1; size <= k && incomplete == null; size++) {
            sets(pool, size, 0, new BitSet());
        }
        return constraints.size() > before;
    }

    private void sets(int[] pool, int size, int from, BitSet chosen) {
        if (incomplete != null) {
            return;
        }
        if (chosen.cardinality() == size) {
            if (!checked.contains(chosen) && meetsAll(chosen) && !containsFix(chosen)) {
                try1((BitSet) chosen.clone());
            }
            return;
        }
        for (int i = from; i < pool.length; i++) {
            chosen.set(pool[i]);
            sets(pool, size, i + 1, chosen);
            chosen.clear(pool[i]);
        }
    }

    private boolean meetsAll(BitSet set) {
        return constraints.stream().allMatch(c -> c.intersects(set));
    }

    private boolean containsFix(BitSet set) {
        for (BitSet f : fixes) {
            BitSet rest = (BitSet) f.clone();
            rest.andNot(set);
            if (rest.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void try1(BitSet set) {
        checked.add(set);
        Patch p = Patch.apply(source, changes(set));
        Checker.Outcome o = check(p.text(), mm);
        if (o.passes()) {
            fixes.add(set);
        } else if (o.fails()) {
            learn(o, set, p);
        } else {
            incomplete = "the check of " + describe(set) + " is incomplete: " + o.note();
        }
    }

    /**
     * The constraint a counterexample of the patched model adds: the changes,
     * other than those already made, that forbid one of its reorderings. A
     * trace in which no reordering was found, or not every access could be
     * read, constrains nothing (every change stays possible) rather than
     * proving that no fix exists.
     */
    private void learn(Checker.Outcome o, BitSet made, Patch p) {
        Reorderings.Reading reading = Reorderings.read(o.trace(), o.program());
        List<Reordering> rs = reading.reorderings();
        BitSet c = new BitSet();
        for (Reordering r : rs) {
            Reordering mapped = new Reordering(r.thread(), r.cpu(), r.group(),
                    at(r.earlier(), p.original(r.earlier().line())), at(r.later(), p.original(r.later().line())),
                    r.step(), r.branchLine());
            for (int i = 0; i < candidates.size(); i++) {
                if (candidates.get(i).forbids(mapped)) {
                    c.set(i);
                }
            }
        }
        if (rs.isEmpty() || !reading.complete()) {
            c.set(0, candidates.size());
        }
        c.andNot(made);
        if (!constraints.contains(c)) {
            constraints.add(c);
        }
    }

    private static Reordering.Access at(Reordering.Access a, int line) {
        return new Reordering.Access(line, a.text(), a.reads(), a.writes());
    }

    private Fix prove(BitSet set) {
        List<Change> cs = changes(set);
        Patch p = Patch.apply(source, cs);
        Checker.Outcome again = check(p.text(), mm);
        if (!again.passes()) {
            throw new IllegalStateException("a fix that passed does not pass when checked again: " + describe(set));
        }
        return new Fix(cs, cs.stream().mapToInt(Change::cost).sum(), UnifiedDiff.of(name, source, p.text()),
                again.states());
    }

    private Checker.Outcome check(String text, String memoryModel) {
        checks++;
        Checker.Outcome o = checker.check(text, memoryModel);
        if (!o.ok()) {
            // the original compiled, and every change is a statement or a call mmx knows: a broken patch is a bug
            throw new IllegalStateException("a patched model does not compile: " + o.diagnostics().get(0));
        }
        return o;
    }

    private List<Change> changes(BitSet set) {
        return set.stream().mapToObj(candidates::get).sorted(Comparator.comparingInt(Change::line)
                .thenComparingInt(Change::column)).toList();
    }

    private String describe(BitSet set) {
        return String.join(", ", changes(set).stream().map(Change::describe).toList());
    }

    private int[] identity() {
        int n = Patch.lines(source).size();
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = i + 1;
        }
        return m;
    }
}
