package dev.mmx.cli;

import dev.mmx.trace.HtmlTrace;
import dev.mmx.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the HTML view of a trace to a file, creating its folder. */
final class HtmlPage {
    private HtmlPage() {}

    static void write(Trace t, Path page) throws IOException {
        Path dir = page.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(page, HtmlTrace.render(t));
    }
}
