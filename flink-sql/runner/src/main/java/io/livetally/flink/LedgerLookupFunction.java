package io.livetally.flink;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Looks keys up in PostgreSQL in batches: keys gather in a {@link KeyBatch} and worker threads, each
 * with a connection of its own, run the query for each batch, so the task thread never waits on a
 * round trip. A query that fails because
 * PostgreSQL is out of reach or restarting is retried on a new connection with a growing pause; after
 * {@code max-retries}, or at once for any other error, the lookups fail and with them the job, which
 * restarts from its checkpoint.
 */
public final class LedgerLookupFunction extends AsyncLookupFunction {
    private static final long serialVersionUID = 1L;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final LedgerQuery query;
    private final List<LogicalType> columns;
    /** The key columns' positions in the table, in the order the planner passes the key. */
    private final int[] keyColumns;
    /** For each query parameter (key columns in table order), its position in the key. */
    private final int[] parameterOrder;

    private transient ScheduledExecutorService workers;
    private transient KeyBatch<List<String>, Collection<RowData>> batch;
    /** Each worker thread's connection, and every one opened, to close them all. */
    private transient ThreadLocal<Session> sessions;
    private transient List<Session> opened;
    private transient Counter batches;
    private transient Counter keys;
    private transient Counter retries;

    LedgerLookupFunction(LedgerQuery query, List<LogicalType> columns, int[] keyColumns) {
        this.query = query;
        this.columns = List.copyOf(columns);
        this.keyColumns = keyColumns.clone();
        for (LogicalType type : columns) {
            checkSupported(type);
        }
        Integer[] order = new Integer[keyColumns.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(keyColumns[a], keyColumns[b]));
        this.parameterOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static void checkSupported(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR, VARCHAR, BOOLEAN, INTEGER, BIGINT, DECIMAL, TIMESTAMP_WITHOUT_TIME_ZONE -> {}
            default -> throw new ValidationException(
                    LedgerLookupTableFactory.IDENTIFIER + " cannot read a column of type " + type);
        }
    }

    /** A worker's connection and the query prepared on it. */
    private static final class Session {
        Connection connection;
        PreparedStatement statement;
    }

    @Override
    public void open(FunctionContext context) {
        // Several workers, so that a batch need not wait for a slow one before it.
        workers = Executors.newScheduledThreadPool(query.workers(), r -> {
            Thread t = new Thread(r, "livetally-ledger-lookup");
            t.setDaemon(true);
            return t;
        });
        opened = new ArrayList<>();
        sessions = ThreadLocal.withInitial(() -> {
            Session session = new Session();
            synchronized (opened) {
                opened.add(session);
            }
            return session;
        });
        batch = new KeyBatch<>(query.batchSize(), query.linger().toMillis(), workers, this::run, List.of());
        batches = context.getMetricGroup().counter("ledgerBatches");
        keys = context.getMetricGroup().counter("ledgerKeys");
        retries = context.getMetricGroup().counter("ledgerRetries");
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        List<String> key = new ArrayList<>(keyColumns.length);
        for (int i = 0; i < keyColumns.length; i++) {
            key.add(keyRow.isNullAt(i) ? null : keyRow.getString(i).toString());
        }
        return batch.add(key);
    }

    /** Answers one batch of distinct keys, on the worker thread. */
    private Map<List<String>, Collection<RowData>> run(List<List<String>> batchKeys) throws SQLException {
        batches.inc();
        keys.inc(batchKeys.size());
        for (int attempt = 0; ; attempt++) {
            try {
                return query(batchKeys);
            } catch (SQLException e) {
                closeConnection(sessions.get());
                if (attempt >= query.maxRetries() || !isTransient(e)) {
                    throw e;
                }
                retries.inc();
                try {
                    Thread.sleep(Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Connection failures (SQLSTATE class 08), a server shutting down or starting (57P), out of
     * resources (53) or a serialization conflict (40001): the same query may well succeed again.
     */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state == null
                || state.startsWith("08")
                || state.startsWith("57P")
                || state.startsWith("53")
                || state.equals("40001");
    }

    private Map<List<String>, Collection<RowData>> query(List<List<String>> batchKeys) throws SQLException {
        Session session = sessions.get();
        if (session.connection == null) {
            Properties props = new Properties();
            props.setProperty("user", query.username());
            props.setProperty("password", query.password());
            props.setProperty("ApplicationName", "livetally-tally-ledger");
            Connection connection = new org.postgresql.Driver().connect(query.url(), props);
            if (connection == null) {
                throw new SQLException("not a PostgreSQL URL: " + query.url());
            }
            connection.setReadOnly(true);
            session.statement = connection.prepareStatement(query.sql());
            session.connection = connection;
        }
        Connection connection = session.connection;
        PreparedStatement statement = session.statement;
        for (int p = 0; p < parameterOrder.length; p++) {
            int position = parameterOrder[p];
            String[] values = new String[batchKeys.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = batchKeys.get(k).get(position);
            }
            Array array = connection.createArrayOf("text", values);
            statement.setArray(p + 1, array);
        }
        Map<List<String>, Collection<RowData>> found = new HashMap<>();
        try (ResultSet rs = statement.executeQuery()) {
            if (rs.getMetaData().getColumnCount() != columns.size()) {
                throw new ValidationException(LedgerLookupTableFactory.IDENTIFIER + " query returns "
                        + rs.getMetaData().getColumnCount() + " columns, the table declares " + columns.size());
            }
            while (rs.next()) {
                GenericRowData row = new GenericRowData(columns.size());
                for (int c = 0; c < columns.size(); c++) {
                    row.setField(c, read(rs, c + 1, columns.get(c)));
                }
                List<String> key = new ArrayList<>(keyColumns.length);
                for (int keyColumn : keyColumns) {
                    Object value = row.getField(keyColumn);
                    key.add(value == null ? null : value.toString());
                }
                found.computeIfAbsent(key, k -> new ArrayList<>(1)).add(row);
            }
        }
        return found;
    }

    private static Object read(ResultSet rs, int index, LogicalType type) throws SQLException {
        Object value = switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> {
                String s = rs.getString(index);
                yield s == null ? null : StringData.fromString(s);
            }
            case BOOLEAN -> rs.getBoolean(index);
            case INTEGER -> rs.getInt(index);
            case BIGINT -> rs.getLong(index);
            case DECIMAL -> {
                DecimalType decimal = (DecimalType) type;
                BigDecimal d = rs.getBigDecimal(index);
                yield d == null ? null : DecimalData.fromBigDecimal(d, decimal.getPrecision(), decimal.getScale());
            }
            case TIMESTAMP_WITHOUT_TIME_ZONE -> {
                LocalDateTime t = rs.getObject(index, LocalDateTime.class);
                yield t == null ? null : TimestampData.fromLocalDateTime(t);
            }
            default -> throw new IllegalStateException("unsupported " + type);
        };
        return rs.wasNull() ? null : value;
    }

    private static void closeConnection(Session session) {
        try {
            if (session.connection != null) {
                session.connection.close();
            }
        } catch (SQLException ignored) {
            // The connection is being replaced because it failed; its close failing too changes nothing.
        }
        session.connection = null;
        session.statement = null;
    }

    @Override
    public void close() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (opened != null) {
            synchronized (opened) {
                opened.forEach(LedgerLookupFunction::closeConnection);
            }
        }
    }
}
