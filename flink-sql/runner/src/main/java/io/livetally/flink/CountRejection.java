package io.livetally.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code count_rejection(reason)}: returns the reason and counts it, as the metric
 * {@code rejectedRecords} with a {@code reason} label, where the tally job writes its rejected records.
 * Every rejection passes through this one place, decoding and ledger checks alike. Every known reason
 * is counted from zero at the start, so a dashboard shows a flat line rather than no data.
 */
public final class CountRejection extends ScalarFunction {
    private transient MetricGroup metrics;
    private transient Map<String, Counter> counters;

    @Override
    public void open(FunctionContext context) {
        metrics = context.getMetricGroup();
        counters = new HashMap<>();
        Rejection.REASONS.forEach(this::counter);
    }

    private Counter counter(String reason) {
        return counters.computeIfAbsent(reason, r -> metrics.addGroup("reason", r).counter("rejectedRecords"));
    }

    public String eval(String reason) {
        counter(reason).inc();
        return reason;
    }

    /** Counting is a side effect: the planner must neither fold nor repeat the call. */
    @Override
    public boolean isDeterministic() {
        return false;
    }
}
