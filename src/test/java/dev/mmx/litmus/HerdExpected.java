package dev.mmx.litmus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** herd7's answer for one corpus test, read from its .expected file. */
record HerdExpected(String test, String kind, int states, Set<String> finals, boolean ok, int positive, int negative,
                    String condition, String observation) {

    static HerdExpected read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.get(0).split(" ");
        int states = Integer.parseInt(lines.get(1).substring("States ".length()));
        Set<String> finals = new LinkedHashSet<>(lines.subList(2, 2 + states));
        List<String> rest = new ArrayList<>(lines.subList(2 + states, lines.size()));
        boolean ok = rest.get(0).equals("Ok");
        String[] pn = rest.get(2).split(" ");
        String condition = rest.get(3).substring("Condition ".length());
        String observation = rest.get(4).split(" ")[2];
        return new HerdExpected(head[1], head[2], states, finals, ok, Integer.parseInt(pn[1]),
                Integer.parseInt(pn[3]), condition, observation);
    }
}
