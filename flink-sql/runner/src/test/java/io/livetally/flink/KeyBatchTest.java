package io.livetally.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyBatchTest {
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    private final List<List<String>> asked = new ArrayList<>();

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private KeyBatch<String, String> batch(int maxSize, long lingerMs) {
        return new KeyBatch<>(maxSize, lingerMs, worker, keys -> {
            asked.add(keys);
            return keys.stream().filter(k -> !k.startsWith("missing")).collect(Collectors.toMap(Function.identity(), k -> "row of " + k));
        }, "none");
    }

    @Test
    void aFullBatchGoesAtOnceAndTheRestAfterTheLinger() throws Exception {
        KeyBatch<String, String> batch = batch(3, 50);
        CompletableFuture<String> a = batch.add("a");
        batch.add("b");
        batch.add("c");
        assertEquals("row of a", a.get(1, TimeUnit.SECONDS));
        CompletableFuture<String> d = batch.add("d");
        assertEquals("row of d", d.get(1, TimeUnit.SECONDS));
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d")), asked);
    }

    @Test
    void asksForAKeyOnceAndAnswersAKeyItDoesNotFindWithTheAbsentValue() throws Exception {
        KeyBatch<String, String> batch = batch(100, 20);
        CompletableFuture<String> first = batch.add("k");
        CompletableFuture<String> second = batch.add("k");
        CompletableFuture<String> missing = batch.add("missing-1");
        assertEquals(Map.of("first", "row of k", "second", "row of k", "missing", "none"),
                Map.of("first", first.get(1, TimeUnit.SECONDS), "second", second.get(1, TimeUnit.SECONDS),
                        "missing", missing.get(1, TimeUnit.SECONDS)));
        assertEquals(List.of(List.of("k", "missing-1")), asked);
    }

    @Test
    void aFailedAnswerFailsEveryKeyOfItsBatch() {
        KeyBatch<String, String> batch = new KeyBatch<>(2, 10, worker, keys -> {
            throw new IllegalStateException("database gone");
        }, "none");
        CompletableFuture<String> a = batch.add("a");
        CompletableFuture<String> b = batch.add("b");
        ExecutionException e = assertThrows(ExecutionException.class, () -> a.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("database gone"));
        assertThrows(ExecutionException.class, () -> b.get(1, TimeUnit.SECONDS));
    }
}
