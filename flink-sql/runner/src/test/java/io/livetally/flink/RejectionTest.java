package io.livetally.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.flink.avro.shaded.org.apache.avro.AvroTypeException;
import org.junit.jupiter.api.Test;

class RejectionTest {
    @Test
    void framingNamesWhatIsWrongWithTheHeader() {
        assertEquals("bad-framing", Rejection.ofFraming(null).reason());
        assertEquals("2 bytes, shorter than the 5-byte header", Rejection.ofFraming(new byte[] {0, 1}).detail());
        assertEquals("magic byte 222, expected 0", Rejection.ofFraming(new byte[] {(byte) 0xde, 0, 0, 0, 1}).detail());
        assertNull(Rejection.ofFraming(new byte[] {0, 0, 0, 0, 7, 2}));
    }

    @Test
    void anUnknownSchemaIdIsTheRecordsFaultButARegistryFailureIsNot() {
        IOException unknown = new IOException("Could not find schema with id 9 in registry",
                new RestClientException("Schema not found", 404, 40403));
        assertEquals("unknown-schema", Rejection.of(unknown).reason());
        assertNull(Rejection.of(new IOException("Could not find schema", new RestClientException("boom", 500, 50001))));
        assertNull(Rejection.of(new IOException("Failed to deserialize Avro record.", new ConnectException("refused"))));
    }

    @Test
    void aSchemaThatDoesNotResolveIsTheWrongOneAndAnythingElseDoesNotDecode() {
        IOException wrong = new IOException("Failed to deserialize Avro record.",
                new AvroTypeException("missing required field vote_id"));
        assertEquals(new Rejection("wrong-schema", "missing required field vote_id"), Rejection.of(wrong));
        IOException truncated = new IOException("Failed to deserialize Avro record.", new EOFException(null));
        assertEquals(new Rejection("undecodable", "EOFException"), Rejection.of(truncated));
    }

    @Test
    void knowsEveryReasonTheChecksGive() throws IOException {
        String checks = Files.readString(Path.of("..", "sql", "25-checks.sql"));
        Set<String> given = new TreeSet<>();
        Matcher m = Pattern.compile("(?:THEN|count_rejection\\()\\s*'([a-z-]+)'").matcher(checks);
        while (m.find()) {
            given.add(m.group(1));
        }
        Set<String> ledgerReasons = new TreeSet<>(Rejection.REASONS.subList(4, Rejection.REASONS.size()));
        assertEquals(ledgerReasons, given);
    }

    @Test
    void keepsLongDetailsShort() {
        assertEquals(500, new Rejection("undecodable", "x".repeat(10_000)).detail().length());
    }
}
