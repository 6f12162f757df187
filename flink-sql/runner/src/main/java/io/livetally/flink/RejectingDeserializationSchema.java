package io.livetally.flink;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Decodes with the wrapped schema; a record it cannot read becomes a row of nulls with the
 * rejection's reason and detail in its last two columns. Rows are GenericRowData, as the Kafka
 * connector requires of a value format when it appends metadata columns. An error that says nothing about the record
 * (the registry out of reach) is rethrown: the job restarts and reads the record again.
 */
final class RejectingDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> decoder;
    private final RowData.FieldGetter[] fields;
    private final TypeInformation<RowData> producedType;

    RejectingDeserializationSchema(
            DeserializationSchema<RowData> decoder,
            List<LogicalType> dataColumns,
            TypeInformation<RowData> producedType) {
        this.decoder = decoder;
        this.fields = new RowData.FieldGetter[dataColumns.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = RowData.createFieldGetter(dataColumns.get(i), i);
        }
        this.producedType = producedType;
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        decoder.open(context);
    }

    @Override
    public RowData deserialize(byte[] message) throws IOException {
        Rejection framing = Rejection.ofFraming(message);
        if (framing != null) {
            return rejected(framing);
        }
        RowData data;
        try {
            data = decoder.deserialize(message);
        } catch (IOException | RuntimeException e) {
            Rejection rejection = Rejection.of(e);
            if (rejection == null) {
                throw e;
            }
            return rejected(rejection);
        }
        if (data == null) {
            return rejected(new Rejection(Rejection.UNDECODABLE, "the decoder read no record"));
        }
        GenericRowData row = new GenericRowData(fields.length + 2);
        for (int i = 0; i < fields.length; i++) {
            row.setField(i, fields[i].getFieldOrNull(data));
        }
        return row;
    }

    private RowData rejected(Rejection rejection) {
        GenericRowData row = new GenericRowData(fields.length + 2);
        row.setField(fields.length, StringData.fromString(rejection.reason()));
        row.setField(fields.length + 1, StringData.fromString(rejection.detail()));
        return row;
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
