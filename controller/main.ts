import pg from "pg";
import type { Admin } from "kafkajs";
import { controller as names } from "../cdk8s/names.js";
import { startHttp } from "../producers/runtime/http.js";
import { createKafka } from "../producers/runtime/kafka.js";
import { createLogger, type Logger } from "../producers/runtime/log.js";
import { runMain } from "../producers/runtime/main.js";
import { SchemaRegistryClient } from "../producers/runtime/registry.js";
import { controllerConfig } from "./config.js";
import { ElectionController } from "./controller.js";
import { EventRecorder } from "./events.js";
import { connectKube } from "./kube.js";
import { LeaderElector } from "./leader.js";
import { createControllerMetrics } from "./metrics.js";
import { ElectionObserver } from "./observe.js";
import { readPlatform } from "./platform.js";
import { ElectionRemoval } from "./removal.js";

/** How long a SIGTERM waits for the reconciles under way before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 20_000;

let log: Logger | undefined;

/**
 * The Election controller: of its replicas, the one holding the Lease watches the namespace's
 * Elections and runs each (controller/reconciler.ts); the others stand by to take over. SIGTERM lets
 * the reconciles under way finish and releases the Lease, so a standby takes over at once.
 */
runMain(
  "controller",
  async () => {
    const config = controllerConfig();
    log = createLogger("controller", config.logLevel, undefined, { identity: config.identity });
    const platform = readPlatform(config.platformDir);
    const kube = connectKube(config.kubeconfig);
    const metrics = createControllerMetrics();
    const db = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
    const ownerDb = new pg.Pool({ connectionString: config.ownerDatabaseUrl, max: 1 });
    // A connection lost while idle (PostgreSQL restarting) is replaced at the next query.
    db.on("error", () => undefined);
    ownerDb.on("error", () => undefined);
    const kafka = createKafka("livetally-controller", config.kafka, log);
    const admin: Admin = kafka.admin();
    await admin.connect();
    const registry = new SchemaRegistryClient(config.registryUrl);

    const elector = new LeaderElector(
      kube,
      { namespace: config.namespace, identity: config.identity, ...config.lease },
      log,
    );
    const election = new ElectionController({
      kube,
      namespace: config.namespace,
      resyncMs: config.resyncMs,
      workers: config.workers,
      metrics,
      log,
      reconciler: {
        platform,
        observer: new ElectionObserver(db, admin),
        removal: new ElectionRemoval(kube, kafka, registry, ownerDb),
        events: new EventRecorder(kube, `livetally.io/${names.name}`, config.identity, log),
        observeIntervalMs: config.observeIntervalMs,
        certificationPatienceMs: config.certificationPatienceMs,
      },
    });
    let started = false;
    const server = await startHttp(
      config.httpPort,
      // A standby is ready: it does what it is there for. The leader is ready once its caches are filled.
      { live: () => true, ready: () => !started || election.synced },
      metrics.registry,
    );
    log.info("started", { namespace: config.namespace, lease: config.lease.name, httpPort: config.httpPort });

    let stopping: Promise<number> | undefined;
    const shutDown = (why: string, code: number): Promise<number> => {
      stopping ??= (async () => {
        log?.info("stopping", { why });
        const stopped = started ? election.stop() : Promise.resolve();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
        await Promise.race([stopped, grace]);
        await elector.stop();
        metrics.leader.set(0);
        await Promise.allSettled([admin.disconnect(), db.end(), ownerDb.end()]);
        server.close();
        log?.info("stopped", { why });
        return code;
      })();
      return stopping;
    };
    const signalled = new Promise<number>((resolve) => {
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => resolve(shutDown(signal, 0)));
      }
    });
    const led = elector
      .run(() => {
        started = true;
        metrics.leader.set(1);
        election.start().catch((e: unknown) => log?.error("could not start watching", { error: String(e) }));
      })
      .then((how) => (how === "lost" ? shutDown("lost the lease", 1) : signalled));
    return Promise.race([signalled, led]);
  },
  () => log,
);
