package dev.mmx.lang;

import java.util.List;

/** A parsed .mmx file: its declarations in source order. */
public record Model(String file, List<Decl> decls) {
    public <T extends Decl> List<T> all(Class<T> kind) {
        return decls.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
