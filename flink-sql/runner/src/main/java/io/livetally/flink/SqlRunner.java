package io.livetally.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Runs Flink SQL scripts as one job: every DDL statement is executed, every INSERT joins a single
 * statement set, so all sinks share one job graph and one checkpoint.
 *
 * <p>Usage: {@code SqlRunner [--validate|--explain] script.sql [script.sql ...] [key=value ...]};
 * key=value pairs are Flink configuration (for example {@code execution.target=remote}).
 * {@code --validate} plans the job and submits nothing; {@code --explain} also prints the plan, with
 * each operator's changelog mode (which rows it may retract).
 */
public final class SqlRunner {
    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private SqlRunner() {}

    public static void main(String[] args) throws Exception {
        boolean validateOnly = false;
        boolean explain = false;
        List<Path> scripts = new ArrayList<>();
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--validate")) {
                validateOnly = true;
            } else if (arg.equals("--explain")) {
                validateOnly = true;
                explain = true;
            } else if (arg.contains("=")) {
                String[] kv = arg.split("=", 2);
                settings.put(kv[0], kv[1]);
            } else {
                scripts.add(Path.of(arg));
            }
        }
        if (scripts.isEmpty()) {
            System.err.println("usage: SqlRunner [--validate|--explain] script.sql [...] [flink.key=value ...]");
            System.exit(2);
        }

        Configuration conf = Configuration.fromMap(settings);
        TableEnvironment env = TableEnvironment.create(
                EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
        StatementSet inserts = env.createStatementSet();
        int insertCount = 0;
        for (Path script : scripts) {
            // Comments are dropped by the split, so placeholders are filled in statements only.
            for (String template : SqlScript.split(Files.readString(script))) {
                String statement = SqlScript.substitute(template, System.getenv());
                Matcher set = SET.matcher(statement);
                if (set.matches()) {
                    // TableEnvironment.executeSql has no SET; the SQL client's syntax is kept for readability.
                    env.getConfig().getConfiguration().setString(set.group(1), set.group(2));
                } else if (statement.toUpperCase(Locale.ROOT).startsWith("INSERT")) {
                    inserts.addInsertSql(statement);
                    insertCount++;
                } else {
                    env.executeSql(statement);
                }
            }
        }
        if (insertCount == 0) {
            throw new IllegalArgumentException("no INSERT statement in " + scripts);
        }
        if (validateOnly) {
            // Planning the whole statement set checks every query against its source and sink schemas.
            String plan = inserts.explain(ExplainDetail.CHANGELOG_MODE);
            if (explain) {
                System.out.println(plan);
            }
            System.out.println("sql-runner: valid inserts=" + insertCount);
            return;
        }
        TableResult result = inserts.execute();
        String jobId = result.getJobClient().map(c -> c.getJobID().toString()).orElse("unknown");
        System.out.println("sql-runner: submitted job=" + jobId + " inserts=" + insertCount);
    }
}
