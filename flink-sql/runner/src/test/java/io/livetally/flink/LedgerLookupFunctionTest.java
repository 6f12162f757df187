package io.livetally.flink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class LedgerLookupFunctionTest {
    @Test
    void retriesWhatARestartingServerCausesAndNothingElse() {
        assertTrue(LedgerLookupFunction.isTransient(new SQLException("refused", "08001")));
        assertTrue(LedgerLookupFunction.isTransient(new SQLException("terminating connection", "57P01")));
        assertTrue(LedgerLookupFunction.isTransient(new SQLException("no state")));
        assertFalse(LedgerLookupFunction.isTransient(new SQLException("function does not exist", "42883")));
        assertFalse(LedgerLookupFunction.isTransient(new SQLException("permission denied", "42501")));
    }
}
