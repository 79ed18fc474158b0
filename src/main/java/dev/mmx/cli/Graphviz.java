package dev.mmx.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders DOT to SVG with Graphviz's {@code dot}, when it is installed. */
final class Graphviz {
    private Graphviz() {}

    /** The dot program on PATH, or null. */
    static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "dot");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The SVG for a DOT text; an IOException carries dot's own complaint. */
    static String svg(Path dot, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(dot.toString(), "-Tsvg").start();
        // dot reads all its input before writing, so write first, then read both streams
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream e = p.getErrorStream()) {
                e.transferTo(err);
            } catch (IOException ignored) {
                // whatever dot said before closing is enough
            }
        });
        drain.start();
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        drain.join();
        if (p.waitFor() != 0) {
            throw new IOException("dot failed: " + err.toString(StandardCharsets.UTF_8).strip());
        }
        return out;
    }
}
