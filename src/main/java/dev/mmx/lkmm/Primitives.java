package dev.mmx.lkmm;

import dev.mmx.system.Src;
import java.util.HashMap;
import java.util.Map;

/** Which source positions held a call of an LKMM-only {@link Primitive}, as {@link Prepass} found them. */
public final class Primitives {
    public static final Primitives NONE = new Primitives(Map.of());

    private final Map<Long, Primitive> byPosition;

    Primitives(Map<Long, Primitive> byPosition) {
        this.byPosition = Map.copyOf(byPosition);
    }

    static long key(int line, int column) {
        return ((long) line << 32) | (column & 0xffffffffL);
    }

    /** The primitive whose placeholder compiled to an instruction from this source position, or null. */
    Primitive at(Src src) {
        return byPosition.get(key(src.line(), src.column()));
    }

    boolean isEmpty() {
        return byPosition.isEmpty();
    }

    static final class Builder {
        private final Map<Long, Primitive> map = new HashMap<>();

        void put(int line, int column, Primitive p) {
            map.put(key(line, column), p);
        }

        Primitives build() {
            return new Primitives(map);
        }
    }
}
