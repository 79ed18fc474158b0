package dev.mmx;

import dev.mmx.cli.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every model under models/ (and, for the oracles, src/test/resources/models)
 * with its default parameters and each variant its expectations name.
 */
public final class ModelVariants {
    private ModelVariants() {}

    /** A model file and the -D settings of one variant (empty: the defaults). */
    public record Variant(Path model, Map<String, String> params) {
        @Override
        public String toString() {
            return model + (params.isEmpty() ? "" : " " + params);
        }
    }

    public static List<Variant> all() {
        return under(Path.of("models"));
    }

    /** The variants of models/ and of the small fixtures in src/test/resources/models. */
    public static List<Variant> everywhere() {
        List<Variant> out = new ArrayList<>(all());
        out.addAll(under(Fixtures.MODELS));
        return out;
    }

    /** The variants of every model in a directory tree. */
    public static List<Variant> under(Path dir) {
        List<Path> models;
        try (Stream<Path> s = Files.walk(dir)) {
            models = s.filter(p -> p.toString().endsWith(".mmx")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Variant> out = new ArrayList<>();
        for (Path model : models) {
            Pipeline.Loaded base = Pipeline.load(model, Map.of());
            if (!base.ok()) {
                throw new IllegalStateException(model + ": " + base.diagnostics());
            }
            List<Map<String, String>> seen = new ArrayList<>();
            seen.add(Map.of());
            base.resolved().expectations().forEach(e -> {
                Map<String, String> v = new LinkedHashMap<>();
                e.variant().forEach((k, x) -> v.put(k, Integer.toString(x)));
                if (!seen.contains(v)) {
                    seen.add(v);
                }
            });
            seen.forEach(v -> out.add(new Variant(model, v)));
        }
        return out;
    }
}
