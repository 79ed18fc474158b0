package dev.mmx;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that drive an installed program (Chromium, Graphviz, Vim). On a
 * developer's machine without it they are skipped; in CI (CI=true), where
 * .ci/run installs every one of them, a missing program fails the test, so
 * a skipped test can never pass for a run.
 */
public final class ExternalTool {
    private ExternalTool() {}

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " is not installed, and CI must run this test: .ci/run installs it");
        }
        Assumptions.abort("skipped: " + what + " is not installed (.ci/run installs it)");
    }
}
