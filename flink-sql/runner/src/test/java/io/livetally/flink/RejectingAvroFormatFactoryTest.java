package io.livetally.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

class RejectingAvroFormatFactoryTest {
    @Test
    void readsTheDataColumnsAsRequiredNestedRowsIncluded() {
        DataType declared = DataTypes.ROW(
                DataTypes.FIELD("voter_id", DataTypes.STRING()),
                DataTypes.FIELD("address", DataTypes.ROW(DataTypes.FIELD("state", DataTypes.STRING()))),
                DataTypes.FIELD("rejection", DataTypes.STRING()),
                DataTypes.FIELD("rejection_detail", DataTypes.STRING()));
        DataType strict = RejectingAvroFormatFactory.strictDataColumns(declared);
        assertEquals(
                DataTypes.ROW(
                                DataTypes.FIELD("voter_id", DataTypes.STRING().notNull()),
                                DataTypes.FIELD("address",
                                        DataTypes.ROW(DataTypes.FIELD("state", DataTypes.STRING().notNull())).notNull()))
                        .notNull(),
                strict);
        assertFalse(strict.getLogicalType().isNullable());
    }

    @Test
    void refusesATableWithoutTheRejectionColumnsLast() {
        DataType missing = DataTypes.ROW(
                DataTypes.FIELD("voter_id", DataTypes.STRING()),
                DataTypes.FIELD("rejection", DataTypes.STRING()));
        ValidationException e = assertThrows(ValidationException.class,
                () -> RejectingAvroFormatFactory.strictDataColumns(missing));
        assertEquals("format 'livetally-avro' needs at least one data column followed by rejection STRING and "
                + "rejection_detail STRING, got [voter_id, rejection]", e.getMessage());
    }
}
