package io.livetally.flink;

import java.io.Serializable;
import java.time.Duration;

/** Where and how a ledger lookup asks PostgreSQL: the options of {@link LedgerLookupTableFactory}. */
record LedgerQuery(
        String url,
        String username,
        String password,
        String sql,
        int batchSize,
        Duration linger,
        int maxRetries,
        int workers) implements Serializable {
}
