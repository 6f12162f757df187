package io.livetally.flink;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * {@code 'connector' = 'livetally-ledger'}: a lookup table answered by a PostgreSQL query, many keys
 * per round trip. Flink's JDBC lookup asks one key per query, which for a million voters is a million
 * round trips on the job's one task thread; this one gathers the keys of every record in flight (up
 * to {@code batch.size}, waiting at most {@code batch.linger}) and asks for them at once, with up to
 * {@code workers} queries at a time.
 *
 * <p>{@code query} takes one text array per key column (in the table's column order) and returns the
 * table's columns, in order, for the keys it knows; a key it does not return has no row.
 */
public final class LedgerLookupTableFactory implements DynamicTableSourceFactory {
    public static final String IDENTIFIER = "livetally-ledger";

    static final ConfigOption<String> URL = ConfigOptions.key("url").stringType().noDefaultValue();
    static final ConfigOption<String> USERNAME = ConfigOptions.key("username").stringType().noDefaultValue();
    static final ConfigOption<String> PASSWORD = ConfigOptions.key("password").stringType().noDefaultValue();
    static final ConfigOption<String> QUERY = ConfigOptions.key("query").stringType().noDefaultValue();
    static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("batch.size").intType().defaultValue(1000);
    static final ConfigOption<Duration> BATCH_LINGER =
            ConfigOptions.key("batch.linger").durationType().defaultValue(Duration.ofMillis(5));
    static final ConfigOption<Integer> MAX_RETRIES = ConfigOptions.key("max-retries").intType().defaultValue(10);
    static final ConfigOption<Integer> WORKERS = ConfigOptions.key("workers").intType().defaultValue(2);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL, USERNAME, PASSWORD, QUERY);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(BATCH_SIZE, BATCH_LINGER, MAX_RETRIES, WORKERS);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        LedgerQuery query = new LedgerQuery(
                options.get(URL),
                options.get(USERNAME),
                options.get(PASSWORD),
                options.get(QUERY),
                options.get(BATCH_SIZE),
                options.get(BATCH_LINGER),
                options.get(MAX_RETRIES),
                options.get(WORKERS));
        return new Source(query, context.getPhysicalRowDataType());
    }

    private static final class Source implements LookupTableSource {
        private final LedgerQuery query;
        private final DataType rowType;

        Source(LedgerQuery query, DataType rowType) {
            this.query = query;
            this.rowType = rowType;
        }

        @Override
        public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
            int[] keys = Arrays.stream(context.getKeys()).mapToInt(path -> {
                if (path.length != 1) {
                    throw new ValidationException(IDENTIFIER + " looks up by top-level columns only");
                }
                return path[0];
            }).sorted().toArray();
            List<LogicalType> types = DataType.getFieldDataTypes(rowType).stream()
                    .map(DataType::getLogicalType)
                    .toList();
            for (int key : keys) {
                LogicalTypeRoot root = types.get(key).getTypeRoot();
                if (root != LogicalTypeRoot.VARCHAR && root != LogicalTypeRoot.CHAR) {
                    throw new ValidationException(IDENTIFIER + " looks up by STRING columns only");
                }
            }
            return AsyncLookupFunctionProvider.of(new LedgerLookupFunction(query, types, keys));
        }

        @Override
        public DynamicTableSource copy() {
            return new Source(query, rowType);
        }

        @Override
        public String asSummaryString() {
            return IDENTIFIER;
        }
    }
}
