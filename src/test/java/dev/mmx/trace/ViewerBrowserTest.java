package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.ExternalTool;
import dev.mmx.browser.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Opens rendered traces in a real headless Chromium and checks the page a
 * developer sees: its columns and rows, the broken property, stepping with
 * the keyboard and the mouse, the state panel, and a screenshot.
 */
class ViewerBrowserTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static Path chromium() {
        Path binary = HeadlessChromium.find();
        ExternalTool.require(binary != null, "chromium (Debian's chromium package)");
        return binary;
    }

    private HeadlessChromium open(Trace t) throws Exception {
        Path page = dir.resolve("trace.html");
        Files.writeString(page, HtmlTrace.render(t));
        return HeadlessChromium.open(chromium(), page.toUri().toString(), 1400, 1500);
    }

    /**
     * One row per race model: the file, the memory model, the parameters
     * (NAME=VALUE;...), its threads, the length of its shortest
     * counterexample and the property it breaks (mremap_pageout's 21 include pageout's test of the ghost
     * mapcount, a step of its own).
     */
    @ParameterizedTest(name = "{0} {2} under {1}")
    @CsvSource({"src/test/resources/models/sb_lock.mmx, tso, '', cpu0|cpu1, 18, saw_a_flag",
                "models/abba.mmx, sc, '', fault|truncate, 2, deadlock",
                "models/mremap_pageout.mmx, tso, RMAP_LOCK=0;WALK_CHECK=0, mremap|pageout|user, 21, no_stale_tlb"})
    void showsARaceAsCpuColumnsAndStepsThroughIt(String model, String mm, String params, String threads,
                                                  int steps, String property) throws Exception {
        Map<String, String> defines = new java.util.LinkedHashMap<>();
        for (String p : params.isEmpty() ? new String[0] : params.split(";")) {
            defines.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        Trace t = Fixtures.trace(Path.of(model), mm, defines);
        assertEquals(steps, t.steps().size());
        try (HeadlessChromium c = open(t)) {
            assertEquals(Arrays.asList(threads.split("\\|")),
                    c.evalStrings("[...document.querySelectorAll('#trace thead th.cpu')].map(e => e.textContent)"));
            assertEquals(steps + 1, c.eval("document.querySelectorAll('#trace tbody tr.step').length").getAsInt());
            // each step sits in its thread's column (after the step number), as "line: operation"
            List<String> expected = new ArrayList<>();
            for (Trace.TraceStep s : t.steps()) {
                expected.add((s.thread() + 1) + " " + (s.line() > 0 ? s.line() + ": " : "") + s.op());
            }
            assertEquals(expected, c.evalStrings("[...document.querySelectorAll('#trace tbody tr.step:not(.initial)')]"
                    + ".map(r => { const td = r.querySelector('td.cell');"
                    + " return td.cellIndex + ' ' + td.querySelector('.op').textContent; })"));

            // the last step broke the property; the page opens on it with the breaking values marked
            assertEquals(List.of("step-" + steps), c.evalStrings("[...document.querySelectorAll('tr.broke')]"
                    + ".map(r => r.id)"));
            boolean deadlock = property.equals("deadlock");
            assertEquals("\u2717 " + (deadlock ? "deadlock after this step" : "breaks " + property),
                    c.evalString("document.querySelector('tr.broke .broke-note .what').textContent"));
            assertEquals(t.values(), c.evalStrings("[...document.querySelectorAll('tr.broke .broke-note .why')]"
                    + ".map(e => e.textContent)"));
            assertEquals(deadlock ? "DEADLOCK" : "VIOLATION of " + property,
                    c.evalString("document.querySelector('#violation h2').textContent"));
            assertEquals(t.values(), c.evalStrings("[...document.querySelectorAll('#violation li')]"
                    + ".map(e => e.textContent)"));
            assertEquals("step-" + steps, c.evalString("document.querySelector('tr.selected').id"));
            List<String> breaking = StatePanels.breaking(StatePanels.sections(t.states().get(steps)), t.values());
            assertTrue(!breaking.isEmpty(), "the violation names no row of the final state: " + t.values());
            assertEquals(breaking, panelKeys(c, "breaking"));

            // Home goes to the initial state; two presses of the down arrow to the state after step 2
            c.press("Home", 36);
            assertEquals("initial state", c.evalString("document.getElementById('state-title').textContent"));
            assertEquals(List.of(), panelKeys(c, "changed"));
            c.press("ArrowDown", 40);
            c.press("ArrowDown", 40);
            assertEquals("step-2", c.evalString("document.querySelector('tr.selected').id"));
            assertEquals("after step 2 (" + t.threads().get(t.steps().get(1).thread()) + ")",
                    c.evalString("document.getElementById('state-title').textContent"));
            assertEquals(changed(t, 2), panelKeys(c, "changed"));
            // the breaking values are marked only in the state that breaks the property
            assertEquals(steps == 2 ? breaking : List.of(), panelKeys(c, "breaking"));
            c.press("ArrowUp", 38);
            assertEquals("step-1", c.evalString("document.querySelector('tr.selected').id"));
            // End goes to the last step, and the down arrow stays there
            c.press("End", 35);
            c.press("ArrowDown", 40);
            assertEquals("step-" + steps, c.evalString("document.querySelector('tr.selected').id"));

            // a click on the first step's row selects it
            c.eval("window.scrollTo(0, 0)");
            String rect = "document.getElementById('step-1').getBoundingClientRect()";
            double x = c.eval("(() => { const r = " + rect + "; return r.left + 20; })()").getAsDouble();
            double y = c.eval("(() => { const r = " + rect + "; return r.top + r.height / 2; })()").getAsDouble();
            c.click(x, y);
            assertEquals("step-1", c.evalString("document.querySelector('tr.selected').id"));
            assertEquals("after step 1 (" + t.threads().get(t.steps().get(0).thread()) + ")",
                    c.evalString("document.getElementById('state-title').textContent"));
            c.press("End", 35);

            // self-contained: the page fetched nothing
            assertEquals(0, c.eval("performance.getEntriesByType('resource').length").getAsInt());

            c.eval("window.scrollTo(0, 0)");
            byte[] png = c.screenshot();
            assertArrayEquals(PNG, Arrays.copyOf(png, PNG.length));
            assertTrue(png.length > 20_000, "a blank screenshot would be tiny: " + png.length + " bytes");
            String base = Path.of(model).getFileName().toString().replaceFirst("\\.mmx$", "");
            Path shot = Path.of("target", "trace-viewer-" + base + (params.isEmpty() ? "" : "-" + params.replace(';', '-')) + "-" + mm
                    + ".png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
        }
    }

    @Test
    void drawsAnArrowFromAnOutOfOrderAccessToItsPlaceInProgramOrder() throws Exception {
        try (HeadlessChromium c = open(Fixtures.outOfOrder())) {
            assertEquals(1, c.eval("document.querySelectorAll('#arrows path[marker-end]').length").getAsInt());
            // the arrow runs from step 1's row down to step 4's, where line 5 sits in program order
            String check = "(() => { const p = document.querySelector('#arrows path[marker-end]');"
                    + " const o = document.getElementById('trace-wrap').getBoundingClientRect();"
                    + " const nums = p.getAttribute('d').match(/-?[0-9.]+/g).map(Number);"
                    + " const mid = id => { const r = document.getElementById(id).getBoundingClientRect();"
                    + "   return r.top - o.top + r.height / 2; };"
                    + " return [Math.abs(nums[1] - mid('step-1')) < 1, Math.abs(nums[nums.length - 1] - mid('step-4')) < 1]"
                    + "   .join(); })()";
            assertEquals("true,true", c.evalString(check));
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "trace-viewer-out-of-order.png"), c.screenshot());
        }
    }

    @Test
    void anOldTraceShowsItsFinalStateForEveryStep() throws Exception {
        Trace t = Fixtures.trace(Fixtures.model("sb_lock.mmx"), "tso");
        Trace old = new Trace(t.model(), t.memoryModel(), t.params(), t.threads(), t.property(), t.message(),
                t.values(), t.steps(), t.transitions(), t.finalState());
        try (HeadlessChromium c = open(old)) {
            c.press("Home", 36);
            assertEquals("final state", c.evalString("document.getElementById('state-title').textContent"));
            assertEquals("This trace was saved without the state after each step; only the final state is known.",
                    c.evalString("document.querySelector('#state .old').textContent"));
        }
    }

    private static List<String> panelKeys(HeadlessChromium c, String cls) throws Exception {
        return c.evalStrings("[...document.querySelectorAll('#state tr." + cls + "')].map(r => r.dataset.key)");
    }

    /** The panel rows whose value differs from the state before step i. */
    private static List<String> changed(Trace t, int i) {
        Map<String, String> before = new java.util.HashMap<>();
        for (StatePanels.Section s : StatePanels.sections(t.states().get(i - 1))) {
            s.rows().forEach(r -> before.put(s.title() + "/" + r.key(), r.value()));
        }
        List<String> out = new ArrayList<>();
        for (StatePanels.Section s : StatePanels.sections(t.states().get(i))) {
            s.rows().stream().filter(r -> !r.value().equals(before.get(s.title() + "/" + r.key())))
                    .forEach(r -> out.add(r.key()));
        }
        return out;
    }
}
