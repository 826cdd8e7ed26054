package io.tocsin.rules.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A title, message or recommendation template: literal text with {@code {placeholder}} slots, nothing else (no
 * expressions, no method calls, so a rules file cannot run code). {@code {{} and {@code }}} stand for literal braces.
 * Immutable; parse once at load time, render per alarm.
 */
public final class MessageTemplate {

    /** Every placeholder the language knows. */
    public static final Set<String> PLACEHOLDERS = Set.of("host", "instance", "value", "threshold", "cluster");

    private final String source;
    // Alternating parts: even indexes literal text, odd indexes placeholder names.
    private final List<String> parts;

    private MessageTemplate(String source, List<String> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code text}, allowing only the placeholders in {@code allowed}.
     *
     * @throws IllegalArgumentException naming the first problem: an unknown or disallowed placeholder, an empty
     *                                  {@code {}}, or an unmatched brace
     */
    public static MessageTemplate parse(String text, Set<String> allowed) {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                literal.append(c);
                i += 2;
            } else if (c == '}') {
                throw new IllegalArgumentException("has an unmatched '}' at offset " + i);
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("has an unmatched '{' at offset " + i);
                }
                String name = text.substring(i + 1, end);
                if (!PLACEHOLDERS.contains(name)) {
                    throw new IllegalArgumentException("has unknown placeholder {" + name + "} (known: {cluster}, {host}, {instance}, {threshold}, {value})");
                }
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException("cannot use {" + name + "} here (event rules have no value or threshold)");
                }
                parts.add(literal.toString());
                parts.add(name);
                literal.setLength(0);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        parts.add(literal.toString());
        return new MessageTemplate(text, parts);
    }

    /** Parses {@code text} allowing every placeholder; see {@link #parse(String, Set)}. */
    public static MessageTemplate parse(String text) {
        return parse(text, PLACEHOLDERS);
    }

    /**
     * Fills the placeholders from {@code values}; a missing or null value renders as the empty string, because an
     * alarm without, say, an instance must still get a title. Values are inserted verbatim, never re-parsed.
     */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
            } else {
                String value = values.get(parts.get(i));
                out.append(value == null ? "" : value);
            }
        }
        return out.toString();
    }

    /** The placeholders used, in order of appearance. */
    public List<String> placeholders() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        return names;
    }

    /** The template text as written. */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageTemplate that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}
