import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { serviceConfig } from "../producers/runtime/config.js";
import { parseRegistrationArgs } from "../producers/registration/args.js";
import { topicSchemas } from "../producers/setup/setup.js";
import { electionSqlEnvironment } from "../flink-sql/job.js";
import { electionNames } from "../schemas/election/names.js";
import { validateElection } from "../schemas/election/validate.js";
import { repoRoot } from "../versions.js";
import { parse } from "yaml";
import { kafkaDatasource } from "../dashboards/datasources.js";
import {
  clusterObjects,
  controlledObjects,
  dashboardFiles,
  defaultElection,
  electionObjects,
  electionResourceObject,
  grafanaKafkaUser,
  profileElection,
  readPlatformFiles,
  synthesize,
  type K8sObject,
} from "./app.js";
import { platformConfig } from "./config.js";
import { grants } from "./lib/kafka-users.js";
import { electionObjectNames, grafana, labels, services } from "./names.js";

// Compiling the CRD schemas and running helm take seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

/** Both profiles as a cluster holds them once the controller has run their Elections. */
const kind = clusterObjects(platformConfig("kind"));
const production = clusterObjects(platformConfig("production"));
/** The election both profiles install, and what it owns. */
const general = defaultElection();
const names = electionNames(general.metadata.name);
const objectNames = electionObjectNames(general.metadata.name);
const electionGrants = grants(names);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (objects: K8sObject[], kindName: string, name: string) => {
  const o = objects.find((x) => x.kind === kindName && x.metadata.name === name);
  if (!o) throw new Error(`no ${kindName} ${name}`);
  return o as unknown as Json;
};
const all = (objects: K8sObject[], kindName: string) =>
  objects.filter((o) => o.kind === kindName) as unknown as Json[];

const sqlDir = join(repoRoot, "flink-sql", "sql");
const sql = readdirSync(sqlDir)
  .filter((f) => f.endsWith(".sql"))
  .map((f) => readFileSync(join(sqlDir, f), "utf8"))
  .join("\n");
/** The Kafka tables of the SQL job: which topic each reads or writes. */
const sqlTopics = [...sql.matchAll(/CREATE TABLE\s+(\w+)[\s\S]*?'topic'\s*=\s*'([^']+)'/g)].map(
  (m) => m[2] ?? "",
);
const insertedTables = new Set([...sql.matchAll(/INSERT INTO\s+(\w+)/gi)].map((m) => m[1]));
const tableTopics = new Map(
  [...sql.matchAll(/CREATE TABLE\s+(\w+)\s*\(([^;]*?)'topic'\s*=\s*'([^']+)'/g)].map((m) => [m[1], m[3]]),
);

describe("profiles", () => {
  it("kind runs one combined Kafka node and one PostgreSQL instance, without budgets", () => {
    const pools = all(kind, "KafkaNodePool");
    expect(pools).toHaveLength(1);
    expect(pools[0]?.spec.replicas).toBe(1);
    expect(pools[0]?.spec.roles).toEqual(["controller", "broker"]);
    expect(find(kind, "Cluster", "livetally-pg").spec.instances).toBe(1);
    expect(all(kind, "PodDisruptionBudget")).toHaveLength(0);
    expect(find(kind, "Service", grafana.name).spec.type).toBe("NodePort");
  });

  it("production runs 3 brokers, 3 controllers, 3 PostgreSQL instances, with budgets and anti-affinity", () => {
    expect(find(production, "KafkaNodePool", "brokers").spec).toMatchObject({
      replicas: 3,
      roles: ["broker"],
    });
    expect(find(production, "KafkaNodePool", "controllers").spec).toMatchObject({
      replicas: 3,
      roles: ["controller"],
    });
    const pg = find(production, "Cluster", "livetally-pg").spec;
    expect(pg).toMatchObject({
      instances: 3,
      enablePDB: true,
      affinity: { podAntiAffinityType: "required" },
    });
    expect(
      all(production, "PodDisruptionBudget")
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([objectNames.voting, "livetally-controller", "livetally-registry"].sort());
    expect(
      find(production, "Deployment", objectNames.voting).spec.template.spec.affinity.podAntiAffinity,
    ).toBeDefined();
    expect(find(production, "Kafka", "livetally").spec.kafka.config["min.insync.replicas"]).toBe(2);
  });
});

describe("elections", () => {
  it("installs the default election, kind's with a smaller electorate, validated", () => {
    const files = { kind: readPlatformFiles("kind"), production: readPlatformFiles("production") };
    expect(files.production.elections).toEqual([general]);
    const [small] = files.kind.elections;
    expect(small?.spec.electorate.voters).toBe(1000);
    expect(validateElection(small).ok).toBe(true);
    expect({ ...small, spec: { ...small?.spec, electorate: general.spec.electorate } }).toEqual(general);
    expect(profileElection("production", general)).toBe(general);
  });

  it("synthesizes the platform and each election as an Election resource, which the controller makes its objects of", () => {
    const config = platformConfig("production");
    const applied = synthesize(config);
    expect(applied.at(-1)).toEqual(electionResourceObject(general));
    expect(applied.at(-1)).toMatchObject({
      apiVersion: "livetally.io/v1alpha1",
      kind: "Election",
      metadata: { name: general.metadata.name, namespace: "livetally" },
      spec: general.spec,
    });
    const platform = applied.slice(0, -1);
    for (const o of platform) expect(o.metadata.labels?.[labels.instance]).toBeUndefined();
    expect(platform.map((o) => o.kind)).not.toEqual(
      expect.arrayContaining(["KafkaTopic", "Job", "FlinkDeployment"]),
    );
    // The controller's: each election's objects, and Grafana's principal reading what each publishes.
    const own = electionObjects(config, general);
    for (const o of own) expect(o.metadata.labels?.[labels.instance]).toBe(general.metadata.name);
    expect(controlledObjects(config, [general])).toEqual([...own, grafanaKafkaUser([general.metadata.name])]);
    expect(production.slice(applied.length)).toEqual([...own, grafanaKafkaUser([general.metadata.name])]);
  });
});

describe("Grafana's Kafka user", () => {
  const aggregated = (election: string) => {
    const t = electionNames(election).topics;
    return [t.votesPerCandidate.name, t.turnoutByLocation.name];
  };
  const readAcl = (topic: string) => ({
    resource: { type: "topic", name: topic, patternType: "literal" },
    operations: ["Read", "Describe"],
  });

  it.each([
    ["kind", kind],
    ["production", production],
  ] as const)(
    "in the %s manifests may only read the installed election's aggregated topics, each by name",
    (_p, objects) => {
      const user = find(objects, "KafkaUser", grafana.kafkaUser);
      expect(user.metadata.labels["strimzi.io/cluster"]).toBe("livetally");
      expect(user.spec.authentication).toEqual({ type: "scram-sha-512" });
      expect(user.spec.authorization).toEqual({
        type: "simple",
        acls: aggregated(general.metadata.name).map(readAcl),
      });
      const declared = new Set(all(objects, "KafkaTopic").map((t) => t.spec.topicName));
      for (const acl of user.spec.authorization.acls as Json[]) expect(declared).toContain(acl.resource.name);
      expect(user).toEqual(grafanaKafkaUser([general.metadata.name]));
    },
  );

  it("is a function of the elections' names alone: literal reads of each one's two aggregated topics, no group, no write", () => {
    const names = ["city-council", "city", "general-2026"];
    const acls = (grafanaKafkaUser(names).spec as Json).authorization.acls as Json[];
    expect(acls).toEqual(names.flatMap(aggregated).map(readAcl));
    // "city" reads none of city-council's topics, nor any election's voters: no ACL is a prefix.
    for (const acl of acls) expect(acl.resource.patternType).toBe("literal");
    expect(acls.filter((a) => a.resource.type !== "topic")).toEqual([]);
    expect(
      acls.flatMap((a) => a.operations).filter((op: string) => op !== "Read" && op !== "Describe"),
    ).toEqual([]);
    expect(grafanaKafkaUser([]).spec).toMatchObject({ authorization: { type: "simple", acls: [] } });
    expect(grafanaKafkaUser(names)).toEqual(grafanaKafkaUser(names));
    expect(() => grafanaKafkaUser(["city", "city"])).toThrow(/listed twice: city/);
  });

  it("is who Grafana's Kafka data source authenticates as, its password read from the file of the user's Secret", () => {
    for (const objects of [kind, production]) {
      const pod = find(objects, "Deployment", grafana.name).spec.template.spec;
      const volume = (pod.volumes as Json[]).find((v) => v.secret?.secretName === grafana.kafkaUser);
      const mount = (pod.containers[0].volumeMounts as Json[]).find((m) => m.name === volume?.name);
      expect(mount?.readOnly).toBe(true);
      const text = find(objects, "ConfigMap", grafana.datasourcesConfigMap).data[
        "datasources.yaml"
      ] as string;
      const kafka = (parse(text) as { datasources: Json[] }).datasources.find(
        (d) => d.uid === kafkaDatasource.uid,
      );
      expect(kafka?.jsonData.saslUsername).toBe(grafana.kafkaUser);
      expect(kafka?.secureJsonData).toEqual({ saslPassword: `$__file{${mount?.mountPath}/password}` });
      expect(text).not.toMatch(/password: (?!\$__file\{)/);
    }
  });
});

describe("topics", () => {
  it("declares every topic of the election with its partitions and configs", () => {
    const electionTopics = Object.values(names.topics);
    for (const [objects, replication, isr] of [
      [kind, 1, 1],
      [production, 3, 2],
    ] as const) {
      const declared = all(objects, "KafkaTopic");
      expect(declared.map((t) => t.spec.topicName).sort()).toEqual(electionTopics.map((t) => t.name).sort());
      for (const topic of electionTopics) {
        const spec = declared.find((t) => t.spec.topicName === topic.name)?.spec;
        expect(spec).toMatchObject({ partitions: topic.partitions, replicas: replication });
        expect(spec.config).toMatchObject({ ...topic.config, "min.insync.replicas": isr });
      }
    }
  });

  /** A script's ${NAME} as the tally job's environment fills it. */
  const tallyEnv = () =>
    Object.fromEntries(
      (
        find(kind, "FlinkDeployment", objectNames.tally).spec.podTemplate.spec.containers[0].env as Json[]
      ).map((e) => [e.name, e.value as string]),
    );
  const filled = (text: string) => text.replace(/\$\{([A-Z_]+)\}/g, (m, n: string) => tallyEnv()[n] ?? m);

  it("the SQL job reads and writes only declared topics, within the ACLs of its KafkaUser", () => {
    const declared = new Set(all(kind, "KafkaTopic").map((t) => t.spec.topicName));
    expect(sqlTopics.length).toBeGreaterThan(0);
    for (const t of sqlTopics) expect(declared).toContain(filled(t));
    for (const [table, topic] of tableTopics) {
      const list = insertedTables.has(table) ? electionGrants.flink.writes : electionGrants.flink.reads;
      expect(list, `${table} -> ${topic}`).toContain(filled(topic ?? ""));
    }
    const groupIds = new Set([...sql.matchAll(/'properties\.group\.id'\s*=\s*'([^']+)'/g)].map((m) => m[1]));
    expect(groupIds.size).toBeGreaterThan(0);
    for (const g of groupIds) expect(filled(g ?? "")).toBe(electionGrants.flink.group);
    expect(tallyEnv()).toMatchObject(electionSqlEnvironment(names));
  });

  it("every topic the SQL job reads has the value schema the setup step registers, on a declared topic", () => {
    const registered = new Set(Object.values(topicSchemas(names)).map((t) => t.topic.name));
    const declared = new Set(all(kind, "KafkaTopic").map((t) => t.spec.topicName));
    for (const [table, topic] of tableTopics) {
      if (insertedTables.has(table)) continue;
      expect(registered, `${table} reads ${topic}`).toContain(filled(topic ?? ""));
    }
    for (const t of registered) expect(declared).toContain(t);
  });

  it("the services' principals may use the topics they produce to, and are the election's own", () => {
    expect(electionGrants.registration.writes).toEqual(
      expect.arrayContaining([names.topics.voters.name, names.topics.candidates.name]),
    );
    expect(electionGrants.voting.writes).toContain(names.topics.votes.name);
    const users = all(kind, "KafkaUser").filter((u) => u.metadata.labels[labels.instance]);
    expect(users.map((u) => u.metadata.name).sort()).toEqual(Object.values(objectNames.kafkaUsers).sort());
  });

  it("the JDBC sinks write tables the migrations create, in the database CloudNativePG creates", () => {
    const migrations = readdirSync(join(repoRoot, "schemas", "migrations"))
      .map((f) => readFileSync(join(repoRoot, "schemas", "migrations", f), "utf8"))
      .join("\n");
    const tables = new Set([...migrations.matchAll(/CREATE TABLE\s+(\w+)/gi)].map((m) => m[1]));
    const sinks = [...sql.matchAll(/'table-name'\s*=\s*'([^']+)'/g)].map((m) => m[1]);
    expect(sinks.length).toBeGreaterThan(0);
    for (const t of sinks) expect(tables).toContain(t);
    const jdbc = new URL(tallyEnv().JDBC_URL?.replace(/^jdbc:/, "") ?? "");
    expect(jdbc.pathname.slice(1)).toBe(find(kind, "Cluster", "livetally-pg").spec.bootstrap.initdb.database);
    expect(jdbc.searchParams.get("currentSchema")).toBe(names.databaseSchema);
  });
});

describe("the services", () => {
  /**
   * The environment a container gets, with the files it mounts made up in a scratch folder: every
   * *_FILE names a key under one of its read-only mounts, a Secret's (made up) or a ConfigMap's (its data).
   */
  function containerEnv(objects: K8sObject[], pod: Json, container: Json): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const from of container.envFrom ?? [])
      Object.assign(env, find(objects, "ConfigMap", from.configMapRef.name).data);
    const scratch = mkdtempSync(join(tmpdir(), "livetally-files-"));
    for (const e of container.env ?? []) {
      expect(e.valueFrom, `${container.name}: ${e.name} comes from a Secret`).toBeUndefined();
      env[e.name] = e.value;
      if (!e.name.endsWith("_FILE")) continue;
      const mount = (container.volumeMounts as Json[]).find((m) => e.value.startsWith(`${m.mountPath}/`));
      expect(mount, `${container.name}: ${e.name} is under a mount`).toMatchObject({ readOnly: true });
      const volume = (pod.volumes as Json[]).find((v) => v.name === mount?.name);
      const key = (e.value as string).slice(`${mount?.mountPath}/`.length);
      const made = volume?.configMap
        ? (find(objects, "ConfigMap", volume.configMap.name).data[key] as string)
        : e.value.endsWith("/uri")
          ? "postgresql://u:p@livetally-pg-rw:5432/livetally\n"
          : "secret\n";
      const file = join(scratch, e.value.replaceAll("/", "_"));
      writeFileSync(file, made);
      env[e.name] = file;
    }
    return env;
  }

  it("every service container's environment is one the services accept, for the election installed", () => {
    for (const [objects, profile] of [
      [kind, "kind"],
      [production, "production"],
    ] as const) {
      const election = readPlatformFiles(profile).elections[0];
      const voting = find(objects, "Deployment", objectNames.voting).spec.template.spec;
      const registration = find(objects, "Job", objectNames.registration).spec.template.spec;
      for (const [pod, c] of [
        ...[...voting.containers, ...voting.initContainers].map((c) => [voting, c]),
        ...[...registration.containers, ...registration.initContainers].map((c) => [registration, c]),
      ]) {
        const env = containerEnv(objects, pod, c);
        const config = serviceConfig(env);
        expect(config.election).toEqual(election);
        expect(config.registryUrl).toMatch(/^http:\/\/livetally-registry:8080\/apis\/ccompat\/v7/);
        expect(config.httpPort).toBe(services.httpPort);
        expect(config.kafka.brokers).toEqual(["livetally-kafka-bootstrap:9092"]);
        expect(config.names.votingGroup).toBe(electionGrants.voting.group);
        expect(config.databaseUrl).toMatch(/^postgresql:\/\/u:p@livetally-pg-rw:5432\//);
        if (c.name !== "setup")
          expect(config.kafka.sasl).toEqual({
            username: objectNames.kafkaUsers[c.name as "registration" | "voting"],
            password: "secret",
          });
      }
      const args = registration.containers[0].command.slice(2);
      expect(parseRegistrationArgs(args, election?.spec.electorate.voters ?? 0)).toEqual({
        voters: election?.spec.electorate.voters,
      });
    }
  });

  it("the voting principal's ACLs name the group the voting service joins, literally", () => {
    const user = find(kind, "KafkaUser", objectNames.kafkaUsers.voting);
    const groups = (user.spec.authorization.acls as Json[]).filter((a) => a.resource.type === "group");
    expect(groups.map((a) => a.resource)).toEqual([
      { type: "group", name: names.votingGroup, patternType: "literal" },
    ]);
  });

  it("the Flink job authenticates with SCRAM through the SQL connector's shaded login module", () => {
    const env = find(kind, "FlinkDeployment", objectNames.tally).spec.podTemplate.spec.containers[0]
      .env as Json[];
    const envNames = env.map((e) => e.name);
    const jaas = env.find((e) => e.name === "KAFKA_SASL_JAAS_CONFIG")?.value as string;
    expect(jaas).toMatch(
      /^org\.apache\.flink\.kafka\.shaded\.org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule required/,
    );
    // The SQL runner fills the password into the JAAS line from KAFKA_PASSWORD_FILE.
    expect(jaas).toContain(`username="${objectNames.kafkaUsers.flink}" password="\${KAFKA_PASSWORD}";`);
    expect(envNames).toContain("KAFKA_PASSWORD_FILE");
    for (const name of [
      "KAFKA_BOOTSTRAP_SERVERS",
      "SCHEMA_REGISTRY_URL",
      "JDBC_URL",
      "JDBC_USER",
      "JDBC_PASSWORD",
    ]) {
      expect(sql).toContain(`\${${name}}`);
    }
    // Every placeholder is set, as a value or as the file of a mounted Secret.
    const code = sql.replace(/--.*$/gm, "");
    const used = new Set([...code.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    for (const name of used)
      expect(
        [name, `${name}_FILE`].filter((n) => envNames.includes(n)),
        name,
      ).toHaveLength(1);
  });

  it("the Flink job reads its credentials from the files of mounted Secrets, not from Secret env vars", () => {
    const pod = find(kind, "FlinkDeployment", objectNames.tally).spec.podTemplate.spec;
    const container = pod.containers[0] as Json;
    expect((container.env as Json[]).filter((e) => e.valueFrom)).toEqual([]);
    const files = Object.fromEntries(
      (container.env as Json[]).filter((e) => e.name.endsWith("_FILE")).map((e) => [e.name, e.value]),
    );
    expect(files).toEqual({
      KAFKA_PASSWORD_FILE: "/var/run/secrets/livetally/kafka/password",
      JDBC_PASSWORD_FILE: "/var/run/secrets/livetally/database/password",
    });
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: "secret-kafka", secret: { secretName: objectNames.kafkaUsers.flink, defaultMode: 0o440 } },
        { name: "secret-database", secret: { secretName: "livetally-pg-app", defaultMode: 0o440 } },
      ]),
    );
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: "secret-kafka", mountPath: "/var/run/secrets/livetally/kafka", readOnly: true },
        { name: "secret-database", mountPath: "/var/run/secrets/livetally/database", readOnly: true },
      ]),
    );
  });

  it("the Flink job runs the SQL scripts of flink-sql/sql in order", () => {
    const files = readdirSync(sqlDir)
      .filter((f) => f.endsWith(".sql"))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    expect(find(kind, "FlinkDeployment", objectNames.tally).spec.job.args).toEqual(
      files.map((f) => `/opt/flink/sql/${f}`),
    );
  });
});

describe("dashboards", () => {
  it("puts every dashboards/build/*.json into the dashboards ConfigMap", () => {
    // dashboards/cdk8s.test.ts may be rewriting dashboards/build meanwhile: compare a synthesis
    // with a folder that did not change while it ran.
    let built: Record<string, string> = {};
    let cm: Json = {};
    for (let attempt = 0; attempt < 5; attempt++) {
      built = dashboardFiles();
      cm = find(synthesize(platformConfig("kind")), "ConfigMap", grafana.dashboardsConfigMap);
      if (JSON.stringify(dashboardFiles()) === JSON.stringify(built)) break;
    }
    expect(cm.metadata.labels.grafana_dashboard).toBe("1");
    expect(cm.data ?? {}).toEqual(built);
    const dir = mkdtempSync(join(tmpdir(), "dashboards-"));
    writeFileSync(join(dir, "results.json"), '{"title":"Results"}');
    writeFileSync(join(dir, "notes.txt"), "not a dashboard");
    expect(dashboardFiles(dir)).toEqual({ "results.json": '{"title":"Results"}' });
    expect(dashboardFiles(join(dir, "missing"))).toEqual({});
  });
});
