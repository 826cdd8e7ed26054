package io.tocsin.collector.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line of the process list into program and arguments, so that commands run without a shell.
 *
 * <p>masakari splits with Python's {@code str.split()} (whitespace only, quotes are ordinary characters). Tocsin
 * keeps that for plain commands and adds the three quoting forms people write in such files:
 * <ul>
 *   <li>whitespace (space, tab, newline) separates words; runs of it count once;</li>
 *   <li>{@code '...'} is taken literally up to the next single quote;</li>
 *   <li>{@code "..."} is taken literally except {@code \"} and {@code \\}, which give {@code "} and {@code \};</li>
 *   <li>outside quotes, a backslash takes the next character literally (an escaped space or quote);</li>
 *   <li>quoted and unquoted parts that touch form one word ({@code --name="a b"} is {@code --name=a b}), and
 *       {@code ''} or {@code ""} alone is an empty argument.</li>
 * </ul>
 * Nothing else is special: {@code $VAR}, {@code $(...)}, backquotes, {@code * ? ~}, {@code ; | & > <} and
 * {@code #} reach the program as the characters they are. A command that needs them says {@code shell: true}.
 */
public final class CommandSplitter {

    /** Longest command line accepted; far below the kernel's argument limit, far above any real start command. */
    public static final int MAX_LENGTH = 8192;

    private CommandSplitter() {
    }

    /**
     * The words of {@code command}.
     *
     * @throws IllegalArgumentException when the command is empty, too long, contains a NUL character, has an
     *                                  unterminated quote or ends with a lone backslash; the message says which
     *                                  (and is safe to show: it quotes no part of the command)
     */
    public static List<String> split(String command) {
        if (command.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        if (command.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("must not contain NUL characters");
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("has an unterminated single quote at character " + (i + 1));
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(command, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("ends with a backslash that escapes nothing");
                }
                word.append(command.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return List.copyOf(words);
    }

    /** Appends the double-quoted part starting at {@code open} to {@code word}; returns the index after its end. */
    private static int doubleQuoted(String command, int open, StringBuilder word) {
        int i = open + 1;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < n && (command.charAt(i + 1) == '"' || command.charAt(i + 1) == '\\')) {
                word.append(command.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("has an unterminated double quote at character " + (open + 1));
    }
}
