package dev.mmx.graph;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jgrapht.Graph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/** DOT text for a graph, through jgrapht-io, with vertices numbered in insertion order. */
final class Dot {
    static final String RED = "#c62828";

    private Dot() {}

    /** Attributes as alternating names and values: {@code attrs("label", "x", "color", "red")}. */
    static Map<String, Attribute> attrs(String... kv) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], DefaultAttribute.createAttribute(kv[i + 1]));
        }
        return m;
    }

    private static Map<String, Attribute> withDefaults(Map<String, Attribute> given, String... kv) {
        Map<String, Attribute> m = attrs(kv);
        m.putAll(given);
        return m;
    }

    static <V, E> String export(Graph<V, E> g, String name, Map<String, Attribute> graphAttrs,
                                Function<V, Map<String, Attribute>> vertex, Function<E, Map<String, Attribute>> edge) {
        List<V> order = List.copyOf(g.vertexSet());
        Map<V, Integer> index = new LinkedHashMap<>();
        for (V v : order) {
            index.put(v, index.size());
        }
        DOTExporter<V, E> ex = new DOTExporter<>(v -> "n" + index.get(v));
        ex.setGraphIdProvider(() -> name);
        ex.setGraphAttributeProvider(() -> graphAttrs);
        // DOTExporter has no default node or edge attributes, so every vertex and edge carries the font
        ex.setVertexAttributeProvider(v -> withDefaults(vertex.apply(v), "shape", "box", "fontname", "monospace"));
        ex.setEdgeAttributeProvider(e -> withDefaults(edge.apply(e), "fontname", "monospace", "fontsize", "10"));
        StringWriter w = new StringWriter();
        ex.exportGraph(g, w);
        return w.toString();
    }
}
