package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTraceTest {
    private static final Path GOLDEN = Path.of("src/test/resources/viewer");

    @Test
    void rendersTheStoreBufferRaceExactly() throws Exception {
        Trace t = Fixtures.trace(Fixtures.model("sb_lock.mmx"), "tso");
        Golden.check(HtmlTrace.render(t), GOLDEN.resolve("sb_lock-tso.html"));
    }

    @Test
    void rendersAnOutOfOrderStepExactly() throws Exception {
        Golden.check(HtmlTrace.render(Fixtures.outOfOrder()), GOLDEN.resolve("out_of_order.html"));
    }

    @Test
    void thePageNeedsNoNetwork() {
        String html = HtmlTrace.render(Fixtures.outOfOrder());
        for (String external : List.of("<link", " src=", "@import", "url(http", "//cdn")) {
            assertFalse(html.contains(external), "the page must not load anything: found " + external);
        }
        assertTrue(html.contains("<style>") && html.contains("<script>"));
    }

    @Test
    void findsTheRowOfTheLineAnAccessWasPerformedBefore() {
        Trace t = Fixtures.outOfOrder();
        assertEquals(4, HtmlTrace.programOrderStep(t, 0, 5));
        // line 11 is cpu1's, not cpu0's: no arrow
        assertEquals(0, HtmlTrace.programOrderStep(t, 0, 11));
        // nothing later at line 10 in cpu1, so the nearest earlier row
        assertEquals(2, HtmlTrace.programOrderStep(t, 2, 10));
    }

    @Test
    void escapesModelTextInTheTableAndTheInlineData() {
        Trace base = Fixtures.outOfOrder();
        Trace.TraceStep s = new Trace.TraceStep(1, 0, "cpu0", 3, "assert(a < b && c > 0);", List.of(), "");
        Map<String, Object> state = Map.of("memory", Map.of("msg", "</script><b>"));
        Trace t = new Trace(base.model(), "sc", Map.of(), base.threads(), "assert", "x < y", List.of(),
                List.of(s), new int[] {0}, state, List.of(state, state));
        String html = HtmlTrace.render(t);
        assertTrue(html.contains("<span class=\"line\">3:</span> assert(a &lt; b &amp;&amp; c &gt; 0);</div>"));
        assertTrue(html.contains("\"value\":\"\\u003c/script\\u003e\\u003cb\\u003e\""));
        assertFalse(html.contains("</script><b>"));
    }

    @Test
    void aStepOfNoThreadSpansEveryColumn() {
        Trace base = Fixtures.outOfOrder();
        Trace.TraceStep s = new Trace.TraceStep(1, -1, "memory", 0, "(propagate)", List.of(), "");
        Trace t = new Trace(base.model(), "arm", Map.of(), base.threads(), "exists", "m", List.of(), List.of(s),
                new int[] {0}, Map.of(), List.of());
        assertTrue(HtmlTrace.render(t).contains("<tr class=\"step broke\" id=\"step-1\" data-step=\"1\" "
                + "data-thread=\"-1\"><td class=\"n\">1</td><td class=\"cell\" colspan=\"2\"><div class=\"op\">"
                + "(propagate)</div><div class=\"broke-note\"><div class=\"what\">&#x2717; breaks exists</div></div>"
                + "</td></tr>\n"));
    }

    @Test
    void namesTheRowsOfTheFinalStateThatTheViolationQuotes() {
        List<StatePanels.Section> last = StatePanels.sections(Fixtures.outOfOrder().states().get(4));
        assertEquals(List.of("cpu1.r0", "cpu1.r1"), StatePanels.breaking(last, List.of("cpu1.r0 = 1", "cpu1.r1 = 0")));
        assertEquals(List.of("shared memory", "registers", "tlbs"), last.stream().map(StatePanels.Section::title).toList());
    }

    @Test
    void theStatePanelShowsArmsWindowAsInFlightInstructionsAndKitStateDecoded() {
        Trace t = Fixtures.trace(Fixtures.model("stale_tlb.mmx"), "arm");
        List<StatePanels.Section> last = StatePanels.sections(t.states().get(t.states().size() - 1));
        List<String> titles = last.stream().map(StatePanels.Section::title).toList();
        assertTrue(titles.contains("in-flight instructions (program order)"), titles.toString());
        assertFalse(titles.contains("store buffers (oldest first)"), titles.toString());
        List<String> ghosts = last.stream().filter(sec -> sec.title().equals("ghost variables")).findFirst()
                .orElseThrow().rows().stream().map(r -> r.key() + " = " + r.value()).toList();
        // no interrupt or RCU state (the model uses neither); the TLB entry and the PTE decoded
        assertEquals(List.of("pg.refcount = 0", "pg.pincount = 0", "pg.anon_exclusive = false", "pg.freed = true",
                "pg.freed_access = false", "tlb[0][0] = page 1 (pg), writable, dirty", "tlb[1][0] = none",
                "tlb.stale_write[0][0] = false", "tlb.stale_write[1][0] = false"), ghosts);
        assertEquals("pte = none", last.get(0).rows().stream().map(r -> r.key() + " = " + r.value())
                .filter(r -> r.startsWith("pte")).findFirst().orElseThrow());
    }

    @Test
    void theStatePanelTitlesTsosBuffersAsStoreBuffers() {
        Trace t = Fixtures.trace(Fixtures.model("sb_lock.mmx"), "tso");
        List<String> titles = StatePanels.sections(t.states().get(1)).stream().map(StatePanels.Section::title)
                .toList();
        assertTrue(titles.contains("store buffers (oldest first)"), titles.toString());
    }
}
