package io.livetally.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Flink SQL script: `${NAME}` placeholders filled from the environment, split into statements. */
final class SqlScript {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    private SqlScript() {}

    /** Fills every `${NAME}`; a missing variable fails loudly rather than reaching Flink as text. */
    static String substitute(String sql, Map<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
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
