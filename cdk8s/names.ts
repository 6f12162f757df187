/**
 * Every name that more than one construct refers to, defined once: the Kafka cluster and its
 * users, the PostgreSQL cluster, its databases and roles, the Secrets, Services and ConfigMaps.
 */
export const NAMESPACE = "livetally";

/** The namespaces the operators and Prometheus are installed into (`make kind-up`). */
export const operatorNamespaces = {
  strimzi: "strimzi-system",
  cnpg: "cnpg-system",
  flink: "flink-operator",
  monitoring: "monitoring",
} as const;

export const kafka = {
  cluster: "livetally",
  /** Strimzi names the bootstrap Service after the cluster. */
  bootstrapService: "livetally-kafka-bootstrap",
  /** The internal listener: SASL SCRAM-SHA-512 over plain TCP inside the namespace. */
  port: 9092,
  brokerPool: "brokers",
  controllerPool: "controllers",
  metricsPort: 9404,
} as const;

/** The workloads that reach Kafka, each an election's own principal (electionObjectNames). */
export type KafkaUserKey = "registration" | "voting" | "flink";

/** Keys of the Secrets Strimzi writes for a SCRAM KafkaUser. */
export const kafkaUserSecretKeys = { password: "password" } as const;

export const postgres = {
  cluster: "livetally-pg",
  /** CloudNativePG's read-write Service, always pointing at the primary. */
  rwService: "livetally-pg-rw",
  port: 5432,
  metricsPort: 9187,
  appDatabase: "livetally",
  appOwner: "livetally",
  /** CloudNativePG writes the owner's credentials (username, password, uri, jdbc-uri) here. */
  appSecret: "livetally-pg-app",
  registryDatabase: "registry",
  registryOwner: "registry",
  registrySecret: "livetally-pg-registry",
  /** Created NOLOGIN by migration 004; declared here too, so no service needs CREATEROLE. */
  dashboardRole: "livetally_dashboard",
  /** Reads every election's ledger and results, to certify (migration 011); NOLOGIN, as the dashboard's. */
  certifierRole: "livetally_certifier",
  /** The controller's login, a member of certifierRole: it observes and certifies, and writes nothing. */
  controllerRole: "livetally_controller",
  controllerSecret: "livetally-pg-controller",
  grafanaRole: "grafana_reader",
  grafanaSecret: "livetally-pg-grafana",
} as const;

export const registry = {
  name: "livetally-registry",
  port: 8080,
  managementPort: 9000,
  /** The Confluent-compatible API the services, Flink's avro-confluent format and Grafana speak. */
  ccompatPath: "/apis/ccompat/v7",
} as const;

/** Where every client in the namespace finds Kafka and the registry. */
export const kafkaBootstrapServers = `${kafka.bootstrapService}:${kafka.port}`;
export const schemaRegistryUrl = `http://${registry.name}:${registry.port}${registry.ccompatPath}`;

export const services = {
  image: "livetally-services",
  configMap: "livetally-services",
  /** What the pods of every election's registration Job and voting Deployment are, as app.kubernetes.io/name. */
  registration: "livetally-registration",
  voting: "livetally-voting",
  httpPort: 9464,
  /** Where an election's ConfigMap is mounted in its pods; ELECTION_FILE names the document in it. */
  electionDir: "/etc/livetally/election",
  electionKey: "election.yaml",
} as const;

export const flink = {
  /** What the pods of every election's tally job are, as app.kubernetes.io/name. */
  name: "livetally-tally",
  image: "livetally-flink",
  serviceAccount: "livetally-flink",
  checkpointDir: "/flink-data",
  metricsPort: 9249,
  restPort: 8081,
  sqlDir: "/opt/flink/sql",
  jarUri: "local:///opt/flink/usrlib/livetally-sql-runner.jar",
  entryClass: "io.livetally.flink.SqlRunner",
} as const;

export const grafana = {
  name: "livetally-grafana",
  port: 3000,
  /** The NodePort kind maps to the host, so Grafana answers on localhost:3000 (`make kind-up`). */
  nodePort: 30300,
  /** Grafana with the Kafka data source plugin (dashboards/Dockerfile), a livetally image. */
  image: "livetally-grafana",
  adminSecret: "livetally-grafana-admin",
  /** Grafana's Kafka principal (grafanaKafkaUser); Strimzi writes its password to a Secret of this name. */
  kafkaUser: "livetally-grafana",
  datasourcesConfigMap: "livetally-grafana-datasources",
  dashboardProvidersConfigMap: "livetally-grafana-dashboard-providers",
  dashboardsConfigMap: "livetally-dashboards",
  /** kube-prometheus-stack's Prometheus Service in the monitoring namespace. */
  prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
} as const;

/** The label every livetally object carries, and the one that groups objects by concern. */
export const labels = {
  partOf: "app.kubernetes.io/part-of",
  component: "app.kubernetes.io/component",
  name: "app.kubernetes.io/name",
  /** The election an object belongs to: the instance of the application its pods run. */
  instance: "app.kubernetes.io/instance",
  /** Set on what the controller applies, so its watches see only its own objects. */
  managedBy: "app.kubernetes.io/managed-by",
} as const;

/**
 * The Election controller (controller/): one name for its Deployment, ServiceAccount, Role, Lease,
 * KafkaUser and the field manager of everything it applies.
 */
export const controller = {
  name: "livetally-controller",
  httpPort: 9464,
  /** The finalizer that holds an Election until its data (topics, subjects, database schema) is removed. */
  finalizer: "livetally.io/election-data",
  /** The ConfigMap of the platform's settings that elections are built with, mounted at platformDir. */
  configMap: "livetally-controller-platform",
  platformDir: "/etc/livetally/platform",
  valuesKey: "values.json",
  buildKey: "build.json",
} as const;

/**
 * The Kubernetes objects of one election, named after it. A metadata.name is a DNS label of at most
 * 39 characters, which keeps the longest of these within the 63 of a label value.
 */
export function electionObjectNames(election: string) {
  return {
    configMap: `${election}-election`,
    registration: `${election}-registration`,
    voting: `${election}-voting`,
    tally: `${election}-tally`,
    checkpointClaim: `${election}-tally-checkpoints`,
    /** Strimzi writes each principal's Secret under the KafkaUser's name. */
    kafkaUsers: {
      registration: `${election}-registration`,
      voting: `${election}-voting`,
      flink: `${election}-tally`,
    } satisfies Record<KafkaUserKey, string>,
  } as const;
}

export type ElectionObjectNames = ReturnType<typeof electionObjectNames>;
