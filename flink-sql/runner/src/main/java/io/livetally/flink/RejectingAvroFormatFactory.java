package io.livetally.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.registry.confluent.RegistryAvroFormatFactory;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'format' = 'livetally-avro'}: Confluent-framed Avro through the schema registry, exactly as
 * {@code avro-confluent} reads it, except that a record it cannot read becomes a row with only its
 * rejection set, instead of failing the job for good. Takes every option of {@code avro-confluent}.
 *
 * <p>The table declares its data columns nullable (a rejected record has none) followed by two STRING
 * columns, {@code rejection} (the reason) and {@code rejection_detail}. The registry's reader schema
 * is built from the data columns as NOT NULL, so a record that lacks one of them does not resolve
 * and is rejected rather than read as nulls.
 */
public final class RejectingAvroFormatFactory implements DeserializationFormatFactory {
    public static final String IDENTIFIER = "livetally-avro";
    static final String REASON_COLUMN = "rejection";
    static final String DETAIL_COLUMN = "rejection_detail";

    private final RegistryAvroFormatFactory avro = new RegistryAvroFormatFactory();

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return avro.requiredOptions();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return avro.optionalOptions();
    }

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
            DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        DecodingFormat<DeserializationSchema<RowData>> registryAvro =
                avro.createDecodingFormat(context, formatOptions);
        return new DecodingFormat<>() {
            @Override
            public DeserializationSchema<RowData> createRuntimeDecoder(
                    DynamicTableSource.Context ctx, DataType physicalDataType) {
                DataType data = strictDataColumns(physicalDataType);
                return new RejectingDeserializationSchema(
                        registryAvro.createRuntimeDecoder(ctx, data),
                        DataType.getFieldDataTypes(data).stream().map(DataType::getLogicalType).toList(),
                        ctx.createTypeInformation(physicalDataType));
            }

            @Override
            public ChangelogMode getChangelogMode() {
                return ChangelogMode.insertOnly();
            }
        };
    }

    /** The data columns (all but the last two, which must be the rejection's), each made NOT NULL. */
    static DataType strictDataColumns(DataType physical) {
        List<String> names = DataType.getFieldNames(physical);
        List<DataType> types = DataType.getFieldDataTypes(physical);
        int n = names.size();
        if (n < 3
                || !names.get(n - 2).equals(REASON_COLUMN)
                || !names.get(n - 1).equals(DETAIL_COLUMN)
                || !isString(types.get(n - 2))
                || !isString(types.get(n - 1))) {
            throw new ValidationException(
                    "format '" + IDENTIFIER + "' needs at least one data column followed by "
                            + REASON_COLUMN + " STRING and " + DETAIL_COLUMN + " STRING, got " + names);
        }
        List<DataTypes.Field> fields = new ArrayList<>();
        for (int i = 0; i < n - 2; i++) {
            fields.add(DataTypes.FIELD(names.get(i), required(types.get(i))));
        }
        return DataTypes.ROW(fields).notNull();
    }

    private static boolean isString(DataType type) {
        LogicalTypeRoot root = type.getLogicalType().getTypeRoot();
        return root == LogicalTypeRoot.VARCHAR || root == LogicalTypeRoot.CHAR;
    }

    /** The type with every level NOT NULL, nested rows included. */
    private static DataType required(DataType type) {
        if (type.getLogicalType() instanceof RowType) {
            List<String> names = DataType.getFieldNames(type);
            List<DataType> types = DataType.getFieldDataTypes(type);
            List<DataTypes.Field> fields = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                fields.add(DataTypes.FIELD(names.get(i), required(types.get(i))));
            }
            return DataTypes.ROW(fields).notNull();
        }
        return type.notNull();
    }
}
