package io.livetally.flink;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * The local stack's Flink: a MiniCluster (job manager and task manager in one JVM) that stays up as a
 * session cluster, so SqlRunner submits to it over REST exactly as it would to a remote cluster.
 *
 * <p>Arguments are Flink configuration as key=value pairs (rest.port, taskmanager.numberOfTaskSlots).
 */
public final class LocalSessionCluster {
    private LocalSessionCluster() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            settings.put(kv[0], kv[1]);
        }
        Configuration conf = Configuration.fromMap(settings);
        int slots = conf.get(TaskManagerOptions.NUM_TASK_SLOTS);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        System.out.println("local-flink: running rest=" + cluster.getRestAddress().get());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}
