package dev.mmx.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Token-level and byte-level mutations of source text, reproducible from a Random's seed. */
final class Mutator {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*|[0-9]+|\\S");

    private Mutator() {}

    static String mutate(String text, Random r) {
        int rounds = 1 + r.nextInt(3);
        String s = text;
        for (int i = 0; i < rounds; i++) {
            s = once(s, r);
        }
        return s;
    }

    private static String once(String text, Random r) {
        List<int[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(new int[] {m.start(), m.end()});
        }
        if (tokens.isEmpty()) {
            return text + "}";
        }
        int[] t = tokens.get(r.nextInt(tokens.size()));
        String tok = text.substring(t[0], t[1]);
        switch (r.nextInt(10)) {
            case 0:
                return text.substring(0, t[0]) + text.substring(t[1]);                      // delete a token
            case 1:
                return text.substring(0, t[1]) + " " + tok + text.substring(t[1]);          // duplicate it
            case 2: {
                int[] u = tokens.get(r.nextInt(tokens.size()));                              // swap two tokens
                if (u[0] < t[0]) {
                    int[] x = t;
                    t = u;
                    u = x;
                }
                if (u[0] < t[1]) {
                    return text;
                }
                return text.substring(0, t[0]) + text.substring(u[0], u[1]) + text.substring(t[1], u[0])
                        + text.substring(t[0], t[1]) + text.substring(u[1]);
            }
            case 3:
                return text.substring(0, r.nextInt(text.length() + 1));                     // truncate
            case 4: {
                StringBuilder junk = new StringBuilder();                                   // random bytes
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    junk.append((char) r.nextInt(0x80));
                }
                int at = r.nextInt(text.length() + 1);
                return text.substring(0, at) + junk + text.substring(at);
            }
            case 5: {
                String[] huge = {"99999999999999999999", "2147483648", "-2147483648", "0", "65536", "4097"};
                return text.substring(0, t[0]) + huge[r.nextInt(huge.length)] + text.substring(t[1]); // numbers
            }
            case 6: {
                int depth = 200 + r.nextInt(5000);                                           // deep nesting
                String open = r.nextBoolean() ? "(" : "{";
                String close = open.equals("(") ? ")" : "}";
                return text.substring(0, t[0]) + open.repeat(depth) + tok + close.repeat(depth)
                        + text.substring(t[1]);
            }
            case 7: {
                String[] words = {"spin_lock", "smp_mb", "atomic", "await", "thread", "forall", "exists",
                        "expect", "ghost", "shared", "&&", "[", "]", ";", "=", "READ_ONCE", "param", "0x"};
                return text.substring(0, t[0]) + words[r.nextInt(words.length)] + text.substring(t[1]);
            }
            case 8: {
                int at = r.nextInt(text.length() + 1);                                       // a line of garbage
                return text.substring(0, at) + "\n" + tok + " " + tok + "(" + tok + ");\n" + text.substring(at);
            }
            default: {
                int[] u = tokens.get(r.nextInt(tokens.size()));                               // copy a token
                return text.substring(0, t[0]) + text.substring(u[0], u[1]) + text.substring(t[1]);
            }
        }
    }
}
