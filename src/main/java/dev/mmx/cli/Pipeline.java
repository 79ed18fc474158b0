package dev.mmx.cli;

import dev.mmx.compile.Compiler;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Model;
import dev.mmx.lang.ModelParser;
import dev.mmx.lang.SourceFile;
import dev.mmx.lang.SourcePos;
import dev.mmx.lkmm.Prepass;
import dev.mmx.memory.Bounds;
import dev.mmx.memory.MemoryModels;
import dev.mmx.resolve.Resolved;
import dev.mmx.resolve.Resolver;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The front end in one call: file → parse → resolve → compile, stopping at the first stage with errors. */
public final class Pipeline {
    /** The largest store buffer check accepts (and replay uses, since traces do not record the bound). */

    private Pipeline() {}

    /** A compiled model (and its resolved form, for expectations), or the diagnostics that stopped it. */
    public record Loaded(Resolved resolved, Program program, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    public static Loaded load(Path file, Map<String, String> overrides) {
        Parsed p = parse(file);
        if (!p.ok()) {
            return new Loaded(null, null, p.diagnostics());
        }
        List<Diagnostic> lkmmOnly = Prepass.lkmmOnlyCalls(p.model());
        if (!lkmmOnly.isEmpty()) {
            return new Loaded(null, null, lkmmOnly);
        }
        try {
            return compile(p.model(), overrides);
        } catch (StackOverflowError e) {
            return failed(new Diagnostic(new SourcePos(display(file), 1, 1), "the model is nested too deeply to check"));
        }
    }

    /** A parsed model, or why there is none. */
    public record Parsed(Model model, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    /** Reads and parses a model file (a memory model may rewrite it before it is compiled). */
    public static Parsed parse(Path file) {
        String name = display(file);
        if (Files.isDirectory(file)) {
            return new Parsed(null, List.of(new Diagnostic(new SourcePos(name, 0, 0), "is a directory, not a model; "
                    + "'mmx test " + name + "' checks every model in it")));
        }
        SourceFile.Result source;
        try {
            source = SourceFile.read(file, name);
        } catch (NoSuchFileException e) {
            return new Parsed(null, List.of(new Diagnostic(new SourcePos(name, 0, 0), "no such file")));
        } catch (IOException e) {
            return new Parsed(null, List.of(new Diagnostic(new SourcePos(name, 0, 0), "cannot read the file: "
                    + e.getMessage())));
        }
        if (!source.ok()) {
            return new Parsed(null, List.of(source.error()));
        }
        try {
            ModelParser.Result parsed = ModelParser.parse(name, source.text());
            return parsed.ok() ? new Parsed(parsed.model(), List.of()) : new Parsed(null, parsed.diagnostics());
        } catch (StackOverflowError e) {
            return new Parsed(null, List.of(new Diagnostic(new SourcePos(name, 1, 1), "the model is nested too "
                    + "deeply to check")));
        }
    }

    public static Loaded loadText(String name, String text, Map<String, String> overrides) {
        try {
            return stages(name, text, overrides);
        } catch (StackOverflowError e) {
            // recursion in the checker or compiler on absurdly deep nesting: the input's fault, said plainly
            return failed(new Diagnostic(new SourcePos(name, 1, 1), "the model is nested too deeply to check"));
        }
    }

    private static Loaded stages(String name, String text, Map<String, String> overrides) {
        ModelParser.Result parsed = ModelParser.parse(name, text);
        if (!parsed.ok()) {
            return new Loaded(null, null, parsed.diagnostics());
        }
        return compile(parsed.model(), overrides);
    }

    /** Resolves and compiles a model that is already an AST (an imported litmus test). */
    public static Loaded compile(Model model, Map<String, String> overrides) {
        Resolver.Result resolved = Resolver.resolve(model, overrides, MemoryModels.names());
        if (!resolved.ok()) {
            return new Loaded(null, null, resolved.diagnostics());
        }
        Compiler.Result compiled = Compiler.compile(resolved.resolved());
        if (!compiled.ok()) {
            return new Loaded(resolved.resolved(), null, compiled.diagnostics());
        }
        return new Loaded(resolved.resolved(), compiled.program(), List.of());
    }

    private static Loaded failed(Diagnostic d) {
        return new Loaded(null, null, List.of(d));
    }

    /** The path as the user would write it: relative to the working directory when inside it. */
    public static String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    /** The transition system for a memory model; null for a name that is not explored as one (lkmm). */
    public static TransitionSystem system(Program p, String memoryModel, Bounds bounds) {
        return MemoryModels.system(p, memoryModel, bounds);
    }

    public static TransitionSystem system(Program p, String memoryModel, int storeBuffer) {
        return system(p, memoryModel, Bounds.DEFAULT.withStoreBuffer(storeBuffer));
    }
}
