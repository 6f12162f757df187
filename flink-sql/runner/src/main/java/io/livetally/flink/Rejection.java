package io.livetally.flink;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.flink.avro.shaded.org.apache.avro.AvroTypeException;

/**
 * Why a record could not be read, as the rejected-records table and metric name it. The reasons are
 * the same strings the tally job writes (flink-sql/sql) and the tests expect.
 */
record Rejection(String reason, String detail) {
    /** Not in the wire format: no value, too short, or another magic byte. */
    static final String BAD_FRAMING = "bad-framing";
    /** The schema id is not in the registry. */
    static final String UNKNOWN_SCHEMA = "unknown-schema";
    /** The writer schema does not resolve to the topic's contract. */
    static final String WRONG_SCHEMA = "wrong-schema";
    /** The body does not decode with its own schema. */
    static final String UNDECODABLE = "undecodable";

    /**
     * Every reason a record is rejected for: the four above, which this format gives, and those of the
     * checks against the ledger (flink-sql/sql/25-checks.sql). RejectionTest keeps the two lists equal.
     */
    static final List<String> REASONS = List.of(
            BAD_FRAMING, UNKNOWN_SCHEMA, WRONG_SCHEMA, UNDECODABLE,
            "unknown-candidate", "unknown-voter", "not-in-ledger", "second-vote", "altered-vote");

    /** Confluent's wire format: a zero magic byte and a four-byte schema id before the Avro body. */
    private static final int HEADER = 5;
    private static final int DETAIL_LIMIT = 500;

    Rejection {
        detail = detail == null ? "" : detail.length() > DETAIL_LIMIT ? detail.substring(0, DETAIL_LIMIT) : detail;
    }

    /** The framing problem of a message, or null when it looks like the wire format. */
    static Rejection ofFraming(byte[] message) {
        if (message == null) {
            return new Rejection(BAD_FRAMING, "a record without a value");
        }
        if (message.length < HEADER) {
            return new Rejection(BAD_FRAMING, message.length + " bytes, shorter than the 5-byte header");
        }
        if (message[0] != 0) {
            return new Rejection(BAD_FRAMING, "magic byte " + (message[0] & 0xff) + ", expected 0");
        }
        return null;
    }

    /**
     * What a decoding failure says about the record, or null when it says nothing about it (the
     * registry could not be reached or failed): then the record must be read again, not rejected.
     */
    static Rejection of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (isTransient(t)) {
                return null;
            }
            if (t instanceof RestClientException rest) {
                if (rest.getStatus() == 404) {
                    return new Rejection(UNKNOWN_SCHEMA, rest.getMessage());
                }
                return null;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AvroTypeException) {
                return new Rejection(WRONG_SCHEMA, t.getMessage());
            }
        }
        return new Rejection(UNDECODABLE, describe(failure));
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof ConnectException
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException;
    }

    /** The innermost cause, where the decoder says what it met. */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
