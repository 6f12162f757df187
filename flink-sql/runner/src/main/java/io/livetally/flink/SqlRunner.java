package io.livetally.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Runs Flink SQL scripts as one job: every DDL statement is executed, every INSERT joins a single
 * statement set, so all sinks share one job graph and one checkpoint.
 *
 * <p>Usage: {@code SqlRunner [--validate] script.sql [script.sql ...] [key=value ...]}; key=value
 * pairs are Flink configuration (for example {@code execution.target=remote}).
 */
public final class SqlRunner {
    private SqlRunner() {}

    public static void main(String[] args) throws Exception {
        boolean validateOnly = false;
        List<Path> scripts = new ArrayList<>();
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--validate")) {
                validateOnly = true;
            } else if (arg.contains("=")) {
                String[] kv = arg.split("=", 2);
                settings.put(kv[0], kv[1]);
            } else {
                scripts.add(Path.of(arg));
            }
        }
        if (scripts.isEmpty()) {
            System.err.println("usage: SqlRunner [--validate] script.sql [...] [flink.key=value ...]");
            System.exit(2);
        }

        Configuration conf = Configuration.fromMap(settings);
        TableEnvironment env = TableEnvironment.create(
                EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
        StatementSet inserts = env.createStatementSet();
        int insertCount = 0;
        for (Path script : scripts) {
            String sql = SqlScript.substitute(Files.readString(script), System.getenv());
            for (String statement : SqlScript.split(sql)) {
                if (statement.toUpperCase(Locale.ROOT).startsWith("INSERT")) {
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
            inserts.compilePlan();
            System.out.println("sql-runner: valid inserts=" + insertCount);
            return;
        }
        TableResult result = inserts.execute();
        String jobId = result.getJobClient().map(c -> c.getJobID().toString()).orElse("unknown");
        System.out.println("sql-runner: submitted job=" + jobId + " inserts=" + insertCount);
    }
}
