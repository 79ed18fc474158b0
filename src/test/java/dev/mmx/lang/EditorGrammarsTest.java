package dev.mmx.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mmx.ExternalTool;
import dev.mmx.lang.antlr.MmxLexer;
import dev.mmx.resolve.Builtins;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The editor grammars under grammar/editors/ must name exactly the language's keywords and primitives. */
class EditorGrammarsTest {
    private static final Path EDITORS = Path.of("grammar/editors");
    private static final Path TEXTMATE = EDITORS.resolve("vscode/syntaxes/mmx.tmLanguage.json");
    private static final Path VIM = EDITORS.resolve("vim/syntax/mmx.vim");
    private static final Pattern WORD_LIST = Pattern.compile("\\\\b\\(\\?:([A-Za-z_0-9|]+)\\)\\\\b");
    private static final Pattern VIM_KEYWORD = Pattern.compile("^syn(?:tax)? keyword (\\w+) (.+)$");

    /** The quoted literals of grammar/Mmx.g4 that are words, as the generated lexer lists them. */
    static List<String> lexerKeywords() {
        List<String> out = new ArrayList<>();
        for (int t = 1; t <= MmxLexer.VOCABULARY.getMaxTokenType(); t++) {
            String literal = MmxLexer.VOCABULARY.getLiteralName(t);
            if (literal != null && literal.matches("'[A-Za-z_][A-Za-z_0-9]*'")) {
                out.add(literal.substring(1, literal.length() - 1));
            }
        }
        return out;
    }

    static List<String> builtins() {
        List<String> out = new ArrayList<>();
        Builtins.names().forEach(out::add);
        out.addAll(dev.mmx.resolve.KernelKit.names());
        dev.mmx.lkmm.Prepass.names().stream().filter(n -> !out.contains(n)).forEach(out::add);
        return out;
    }

    private static JsonObject textMate() throws Exception {
        return JsonParser.parseString(Files.readString(TEXTMATE)).getAsJsonObject();
    }

    /** The words of every pattern in one repository entry, each written as \b(?:a|b|c)\b. */
    private static List<String> textMateWords(String entry) throws Exception {
        List<String> words = new ArrayList<>();
        for (JsonElement p : textMate().getAsJsonObject("repository").getAsJsonObject(entry).getAsJsonArray("patterns")) {
            String match = p.getAsJsonObject().get("match").getAsString();
            Matcher m = WORD_LIST.matcher(match);
            assertTrue(m.matches(), entry + " patterns must be word lists like \\b(?:a|b)\\b, not " + match);
            words.addAll(List.of(m.group(1).split("\\|")));
        }
        return words;
    }

    /** The words of the Vim file's `syn keyword` lines, by highlight group. */
    private static Map<String, List<String>> vimKeywords() throws Exception {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String line : Files.readAllLines(VIM)) {
            Matcher m = VIM_KEYWORD.matcher(line);
            if (m.matches()) {
                groups.computeIfAbsent(m.group(1), g -> new ArrayList<>()).addAll(List.of(m.group(2).split(" +")));
            }
        }
        return groups;
    }

    private static void assertSameWords(List<String> expected, List<String> actual, String where) {
        assertEquals(actual.size(), new TreeSet<>(actual).size(), where + " lists a word twice: " + actual);
        assertEquals(new TreeSet<>(expected), new TreeSet<>(actual), where);
    }

    @Test
    void theLexerHasTheKeywordsTheEditorsWereWrittenFor() {
        // a check on the extraction itself: 36 words in grammar/Mmx.g4 today, from 'param' to 'false'
        List<String> k = lexerKeywords();
        assertEquals(36, k.size());
        assertEquals("param", k.get(0));
        assertTrue(k.containsAll(List.of("either", "or", "await", "atomic", "ghost", "rwsem", "as", "in")));
    }

    @Test
    void textMateKeywordsAreTheLexerKeywords() throws Exception {
        assertSameWords(lexerKeywords(), textMateWords("keywords"), TEXTMATE + " keywords");
    }

    @Test
    void textMatePrimitivesAreTheBuiltins() throws Exception {
        assertSameWords(builtins(), textMateWords("builtins"), TEXTMATE + " builtins");
    }

    @Test
    void vimKeywordsAreTheLexerKeywordsAndVimPrimitivesTheBuiltins() throws Exception {
        Map<String, List<String>> groups = vimKeywords();
        List<String> keywords = new ArrayList<>();
        groups.forEach((g, words) -> {
            if (!g.equals("mmxBuiltin")) {
                keywords.addAll(words);
            }
        });
        assertSameWords(lexerKeywords(), keywords, VIM + " keywords");
        assertSameWords(builtins(), groups.get("mmxBuiltin"), VIM + " mmxBuiltin");
    }

    @Test
    void everyTextMateRegexCompilesAndTheExtensionPointsAtIt() throws Exception {
        List<String> regexes = new ArrayList<>();
        collectRegexes(textMate(), regexes);
        for (String r : regexes) {
            Pattern.compile(r);
        }
        // 8 keyword groups, 1 primitive list, 2 numbers, 2 operators, 1 line comment, 2 block comment, 2 string
        // delimiters and 1 escape
        assertEquals(19, regexes.size());
        JsonObject pkg = JsonParser.parseString(Files.readString(EDITORS.resolve("vscode/package.json")))
                .getAsJsonObject();
        JsonObject grammar = pkg.getAsJsonObject("contributes").getAsJsonArray("grammars").get(0).getAsJsonObject();
        assertEquals(textMate().get("scopeName").getAsString(), grammar.get("scopeName").getAsString());
        assertEquals(TEXTMATE, EDITORS.resolve("vscode").resolve(grammar.get("path").getAsString()).normalize());
    }

    private static void collectRegexes(JsonElement e, List<String> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) {
                if (List.of("match", "begin", "end").contains(x.getKey())) {
                    out.add(x.getValue().getAsString());
                } else {
                    collectRegexes(x.getValue(), out);
                }
            }
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectRegexes(x, out));
        }
    }

    @Test
    void vimHighlightsAModel() throws Exception {
        Path vim = onPath("vim");
        ExternalTool.require(vim != null, "vim");
        Path out = Files.createTempFile("mmx-vim", ".txt");
        try {
            // in models/counter.mmx: line 5 "param LOCKED = 1;", line 7 "shared int counter = 0;",
            // line 13 "        spin_lock(&lock);", line 15 "    tmp = READ_ONCE(counter);"
            String probe = "let out = [&filetype] | for [l, c] in [[5, 1], [7, 1], [7, 8], [13, 9], [15, 11], "
                    + "[7, 22]] | call add(out, synIDattr(synID(l, c, 1), 'name')) | endfor";
            Process p = new ProcessBuilder(vim.toString(), "-Es", "-N", "-u", "NONE", "-i", "NONE",
                    "-c", "set rtp^=" + EDITORS.resolve("vim"), "-c", "filetype on", "-c", "syntax on",
                    "-c", "e models/counter.mmx", "-c", probe, "-c", "call writefile(out, '" + out + "')",
                    "-c", "qa!").redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "vim did not finish");
            assertEquals(List.of("mmx", "mmxDeclaration", "mmxStorageClass", "mmxType", "mmxBuiltin", "mmxBuiltin",
                    "mmxNumber"), Files.readAllLines(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
