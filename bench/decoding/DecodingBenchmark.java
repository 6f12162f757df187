package io.livetally.flink;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.avro.shaded.org.apache.avro.Schema;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericData;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumWriter;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord;
import org.apache.flink.avro.shaded.org.apache.avro.io.BinaryEncoder;
import org.apache.flink.avro.shaded.org.apache.avro.io.EncoderFactory;
import org.apache.flink.formats.avro.AvroRowDataDeserializationSchema;
import org.apache.flink.formats.avro.AvroToRowDataConverters;
import org.apache.flink.formats.avro.registry.confluent.ConfluentRegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * What the rejecting format costs per record: the same Confluent-framed Votes decoded by the plain
 * avro-confluent decoder and by the livetally-avro wrapper around it, in one JVM, alternating, best of
 * several rounds. Usage: DecodingBenchmark registry-url Vote.avsc records rounds.
 */
public final class DecodingBenchmark {
    private DecodingBenchmark() {}

    public static void main(String[] args) throws Exception {
        String registry = args[0];
        Schema writer = new Schema.Parser().parse(Files.readString(Path.of(args[1])));
        int records = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int schemaId = register(registry, "bench-decoding-value", writer);
        List<byte[]> framed = votes(writer, schemaId, records);

        DataType row = DataTypes.ROW(
                DataTypes.FIELD("vote_id", DataTypes.STRING().notNull()),
                DataTypes.FIELD("voter_id", DataTypes.STRING().notNull()),
                DataTypes.FIELD("candidate_id", DataTypes.STRING().notNull()),
                DataTypes.FIELD("party", DataTypes.STRING().notNull()),
                DataTypes.FIELD("state", DataTypes.STRING().notNull()),
                DataTypes.FIELD("gender", DataTypes.STRING().notNull()),
                DataTypes.FIELD("age_band", DataTypes.STRING().notNull()),
                DataTypes.FIELD("cast_at", DataTypes.TIMESTAMP(3).notNull())).notNull();
        RowType rowType = (RowType) row.getLogicalType();
        DeserializationSchema<RowData> plain = plainDecoder(rowType, registry);
        List<LogicalType> columns = rowType.getChildren();
        DeserializationSchema<RowData> wrapped =
                new RejectingDeserializationSchema(plainDecoder(rowType, registry), columns, InternalTypeInfo.of(rowType));
        plain.open(context());
        wrapped.open(context());

        long bestPlain = Long.MAX_VALUE;
        long bestWrapped = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            // Alternating which goes first evens out what the other left behind in caches and the heap.
            if (round % 2 == 0) {
                bestPlain = Math.min(bestPlain, time(plain, framed));
                bestWrapped = Math.min(bestWrapped, time(wrapped, framed));
            } else {
                bestWrapped = Math.min(bestWrapped, time(wrapped, framed));
                bestPlain = Math.min(bestPlain, time(plain, framed));
            }
        }
        double plainNs = (double) bestPlain / records;
        double wrappedNs = (double) bestWrapped / records;
        System.out.printf(
                "bench-decoding: records=%d rounds=%d plain_ns_per_record=%.0f wrapped_ns_per_record=%.0f wrapper_ns_per_record=%.0f wrapper_share=%.1f%%%n",
                records, rounds, plainNs, wrappedNs, wrappedNs - plainNs, 100 * (wrappedNs - plainNs) / plainNs);
    }

    /** The decoder avro-confluent builds for a table: the registry's reader schema of the row type. */
    private static DeserializationSchema<RowData> plainDecoder(RowType rowType, String registry) {
        return new AvroRowDataDeserializationSchema(
                ConfluentRegistryAvroDeserializationSchema.forGeneric(AvroSchemaConverter.convertToSchema(rowType), registry),
                AvroToRowDataConverters.createRowConverter(rowType),
                InternalTypeInfo.of(rowType));
    }

    private static long time(DeserializationSchema<RowData> decoder, List<byte[]> framed) throws Exception {
        long checksum = 0;
        long start = System.nanoTime();
        for (byte[] message : framed) {
            checksum += decoder.deserialize(message).getString(1).toBytes().length;
        }
        long took = System.nanoTime() - start;
        if (checksum == 0) {
            throw new IllegalStateException("nothing decoded");
        }
        return took;
    }

    private static List<byte[]> votes(Schema writer, int schemaId, int records) throws Exception {
        GenericDatumWriter<GenericRecord> avro = new GenericDatumWriter<>(writer);
        String[] states = {"California", "Texas", "Florida", "New York", "Ohio"};
        List<byte[]> framed = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            GenericRecord vote = new GenericData.Record(writer);
            vote.put("vote_id", String.format("00000000-0000-4000-8000-%012d", i));
            vote.put("voter_id", String.format("9f0c%04x-1d2e-8a3b-9c4d-%012d", i % 65536, i));
            vote.put("candidate_id", "cand-" + (i % 4));
            vote.put("party", "Party " + (i % 4));
            vote.put("state", states[i % states.length]);
            vote.put("gender", i % 2 == 0 ? "female" : "male");
            vote.put("age_band", "35-44");
            vote.put("cast_at", 1_796_000_000_000L + i);
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            avro.write(vote, encoder);
            encoder.flush();
            framed.add(out.toByteArray());
        }
        return framed;
    }

    /** Registers the schema through the Confluent API and returns its id (the same schema, the same id). */
    private static int register(String registry, String subject, Schema schema) throws Exception {
        String body = "{\"schema\":" + quote(schema.toString()) + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        if (response.statusCode() != 200 || !id.find()) {
            throw new IllegalStateException("registering the Vote schema: " + response.statusCode() + " " + response.body());
        }
        return Integer.parseInt(id.group(1));
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static DeserializationSchema.InitializationContext context() {
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(DecodingBenchmark.class.getClassLoader());
            }
        };
    }
}
