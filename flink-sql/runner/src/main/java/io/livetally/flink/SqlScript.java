package io.livetally.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Flink SQL script: `${NAME}` placeholders filled from the environment, split into statements. */
final class SqlScript {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    private SqlScript() {}

    /**
     * Fills every `${NAME}` from the variable NAME or, when only NAME_FILE is set, from the content of
     * the file it names, trimmed: Kubernetes mounts the credentials as files, so they stay out of the
     * environment. A variable's value may name placeholders itself (the JAAS line names the password
     * file's), filled once more; a file's content is taken as it is. A missing variable fails loudly
     * rather than reaching Flink as text.
     */
    static String substitute(String sql, Map<String, String> env) {
        return fill(sql, env, true);
    }

    private static String fill(String text, Map<String, String> env, boolean nested) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            String value = env.get(name);
            String file = env.get(name + "_FILE");
            if (value != null && file != null) {
                throw new IllegalArgumentException("set " + name + " or " + name + "_FILE, not both");
            }
            if (value != null && nested) {
                value = fill(value, env, false);
            } else if (value == null && file != null) {
                value = readFile(name, file);
            } else if (value == null) {
                missing.add(name);
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("unset environment variables in SQL script: " + missing);
        }
        return out.toString();
    }

    private static String readFile(String name, String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + name + "_FILE=" + path + ": " + e, e);
        }
    }

    /** Splits on semicolons outside string literals and `--` comments; drops empty statements. */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (!inString && c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
                current.append('\n');
                continue;
            }
            if (c == '\'') {
                inString = !inString;
            }
            if (c == ';' && !inString) {
                addIfPresent(statements, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        addIfPresent(statements, current);
        return statements;
    }

    private static void addIfPresent(List<String> statements, StringBuilder statement) {
        String trimmed = statement.toString().strip();
        if (!trimmed.isEmpty()) {
            statements.add(trimmed);
        }
    }
}
