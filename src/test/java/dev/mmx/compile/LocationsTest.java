package dev.mmx.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Location values: loc variables, &x, loads and stores through *p, and the faults of a bad address. */
class LocationsTest {
    private static Result check(String text, String mm) {
        Pipeline.Loaded l = Pipeline.loadText("m.mmx", text, Map.of());
        assertEquals(List.of(), l.diagnostics());
        return Explorer.explore(Pipeline.system(l.program(), mm, 4), Options.defaults());
    }

    private static String errors(String text) {
        return String.join("\n", Pipeline.loadText("m.mmx", text, Map.of()).diagnostics().stream()
                .map(Object::toString).toList());
    }

    /** Message passing where the message is a pointer: P1 reads y, then reads through it. */
    private static final String MP = """
            shared int a = 7;
            shared int x = 0;
            shared loc y = &a;
            thread P0 {
                WRITE_ONCE(x, 1);
                smp_store_release(y, &x);
            }
            thread P1 {
                loc r1 = READ_ONCE(y);
                int r2 = READ_ONCE(*r1);
            }
            """;

    @Test
    void tsoKeepsPointerPublicationOrdered() {
        Result r = check(MP + "exists (P1.r1 == &x && P1.r2 == 0);\n", "tso");
        assertEquals(Result.Verdict.PASS, r.verdict());
    }

    @Test
    void finalValuesPrintAddressesAsNames() {
        Result r = check(MP + "exists (P1.r1 == &a && P1.r2 == 7);\n", "sc");
        assertEquals("exists", r.violation().property());
        assertEquals(List.of("P1.r1 = a", "P1.r2 = 7"), r.violation().values());
    }

    @Test
    void addressPlusOffsetReachesTheNextCell() {
        // a and x are cells 0 and 1: &a + 1 is &x
        Result r = check(MP.replace("READ_ONCE(*r1)", "READ_ONCE(*(r1 + 1))") + "exists (P1.r2 == 1);\n", "sc");
        assertEquals("exists", r.violation().property());
    }

    @Test
    void dereferencingNullFaults() {
        Result r = check("shared int x = 0;\nthread t {\n    loc p;\n    int v = *p;\n}\n", "sc");
        assertEquals("index_out_of_range", r.violation().property());
        assertEquals("*p dereferences NULL (t, line 4)", r.violation().message());
    }

    @Test
    void dereferencingPastTheLastVariableFaults() {
        Result r = check("shared int x = 0;\nthread t {\n    loc p = &x;\n    WRITE_ONCE(*(p + 1), 2);\n}\n", "sc");
        assertEquals("*(p + 1) dereferences an address past the last shared variable (t, line 4)",
                r.violation().message());
    }

    @Test
    void addressesAreOnlyOfSharedVariables() {
        assertEquals("m.mmx:4:13: '&l' is a lock; a lock's address can only be passed to the lock primitives, as in "
                + "spin_lock(&l)", errors("spinlock l;\nshared int x;\nthread t {\n    loc p = &l;\n}\n"));
        assertEquals("m.mmx:3:14: 'g' is ghost state; only shared variables have addresses",
                errors("ghost int g;\nthread t {\n    loc p = &g;\n}\n"));
        assertEquals("m.mmx:4:13: '&' takes the address of a shared variable, like &x or &a[i]",
                errors("shared int x;\nthread t {\n    int r;\n    loc p = &r;\n}\n"));
    }

    @Test
    void onlyAddressesCanBeDereferenced() {
        assertEquals("m.mmx:4:14: '*' reads through an address (a loc or int value), but this is bool",
                errors("shared int x;\nthread t {\n    bool b;\n    int v = *b;\n}\n"));
    }

    @Test
    void addressInitialValueMustNameASharedVariable() {
        assertEquals("m.mmx:1:16: '&' takes the address of a shared variable, like &x or &a[1]; did you mean 'xs'?",
                errors("shared loc p = &xz;\nshared int xs[2];\nthread t { skip; }\n"));
    }
}
