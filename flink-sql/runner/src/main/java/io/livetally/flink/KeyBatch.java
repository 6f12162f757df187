package io.livetally.flink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gathers keys asked for one at a time into batches answered together: a batch goes to the worker
 * when it holds {@code maxSize} distinct keys, or {@code lingerMs} after its first key, whichever
 * comes first. A key asked twice before its batch goes is asked once and answered twice.
 */
final class KeyBatch<K, V> {
    /** Answers a batch of distinct keys; a key left out of the answer gets the absent value. */
    interface Answer<K, V> {
        Map<K, V> answer(List<K> keys) throws Exception;
    }

    private final int maxSize;
    private final long lingerMs;
    private final ScheduledExecutorService worker;
    private final Answer<K, V> answer;
    private final V absent;
    private LinkedHashMap<K, List<CompletableFuture<V>>> pending = new LinkedHashMap<>();
    private boolean lingering;

    KeyBatch(int maxSize, long lingerMs, ScheduledExecutorService worker, Answer<K, V> answer, V absent) {
        this.maxSize = maxSize;
        this.lingerMs = lingerMs;
        this.worker = worker;
        this.answer = answer;
        this.absent = absent;
    }

    synchronized CompletableFuture<V> add(K key) {
        CompletableFuture<V> result = new CompletableFuture<>();
        pending.computeIfAbsent(key, k -> new ArrayList<>(1)).add(result);
        if (pending.size() >= maxSize) {
            send();
        } else if (!lingering) {
            lingering = true;
            worker.schedule(this::lingered, lingerMs, TimeUnit.MILLISECONDS);
        }
        return result;
    }

    private synchronized void lingered() {
        lingering = false;
        if (!pending.isEmpty()) {
            send();
        }
    }

    private void send() {
        Map<K, List<CompletableFuture<V>>> batch = pending;
        pending = new LinkedHashMap<>();
        worker.execute(() -> complete(batch));
    }

    private void complete(Map<K, List<CompletableFuture<V>>> batch) {
        Map<K, V> found;
        try {
            found = answer.answer(new ArrayList<>(batch.keySet()));
        } catch (Exception | Error e) {
            batch.values().forEach(futures -> futures.forEach(f -> f.completeExceptionally(e)));
            return;
        }
        batch.forEach((key, futures) -> {
            V value = found.getOrDefault(key, absent);
            futures.forEach(f -> f.complete(value));
        });
    }
}
