import { Construct } from "constructs";
import { Cluster, ClusterSpecManagedRolesEnsure, Database } from "../imports/postgresql.cnpg.io.js";
import type { PlatformConfig } from "../config.js";
import { postgres } from "../names.js";
import { GeneratedSecret } from "./generated-secret.js";
import { meta, setResources } from "./meta.js";

export interface PostgresProps {
  readonly config: PlatformConfig["postgres"];
  /** PostgreSQL major.minor of CloudNativePG's operand image. */
  readonly postgresVersion: string;
  /** A single instance gets no budget: it would block every node drain. */
  readonly disruptionBudget: boolean;
}

/**
 * PostgreSQL run by CloudNativePG: the app database owned by `livetally`, a `registry` database
 * for Apicurio Registry, the roles the dashboard reads with and the controller certifies with. Migrations are applied by the
 * services' setup step, as the owner.
 */
export class Postgres extends Construct {
  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const { config } = props;
    const basicAuth = "kubernetes.io/basic-auth";
    new GeneratedSecret(this, "registry-credentials", {
      name: postgres.registrySecret,
      component: "postgres",
      type: basicAuth,
      fixed: { username: postgres.registryOwner },
      generated: ["password"],
    });
    new GeneratedSecret(this, "grafana-credentials", {
      name: postgres.grafanaSecret,
      component: "postgres",
      type: basicAuth,
      fixed: { username: postgres.grafanaRole },
      generated: ["password"],
    });
    new GeneratedSecret(this, "controller-credentials", {
      name: postgres.controllerSecret,
      component: "postgres",
      type: basicAuth,
      fixed: { username: postgres.controllerRole },
      generated: ["password"],
    });

    const cluster = new Cluster(this, "cluster", {
      metadata: meta(postgres.cluster, "postgres"),
      spec: {
        instances: config.instances,
        imageName: `ghcr.io/cloudnative-pg/postgresql:${props.postgresVersion}`,
        storage: { size: config.storage },
        bootstrap: { initdb: { database: postgres.appDatabase, owner: postgres.appOwner } },
        managed: {
          roles: [
            {
              // Migration 004 grants to it; declaring it here means the owner needs no CREATEROLE.
              name: postgres.dashboardRole,
              ensure: ClusterSpecManagedRolesEnsure.PRESENT,
              login: false,
              comment: "read access to the results, granted by migration 004",
            },
            {
              name: postgres.grafanaRole,
              ensure: ClusterSpecManagedRolesEnsure.PRESENT,
              login: true,
              inRoles: [postgres.dashboardRole],
              passwordSecret: { name: postgres.grafanaSecret },
              comment: "Grafana's login",
            },
            {
              // Migration 011 grants to it: every election's ledger and results, read-only.
              name: postgres.certifierRole,
              ensure: ClusterSpecManagedRolesEnsure.PRESENT,
              login: false,
              comment: "read access to the ledgers and results, granted by migration 011",
            },
            {
              name: postgres.controllerRole,
              ensure: ClusterSpecManagedRolesEnsure.PRESENT,
              login: true,
              inRoles: [postgres.certifierRole],
              passwordSecret: { name: postgres.controllerSecret },
              comment: "the Election controller's login",
            },
            {
              name: postgres.registryOwner,
              ensure: ClusterSpecManagedRolesEnsure.PRESENT,
              login: true,
              passwordSecret: { name: postgres.registrySecret },
              comment: "Apicurio Registry's storage",
            },
          ],
        },
        affinity: { enablePodAntiAffinity: true, podAntiAffinityType: config.antiAffinity },
        enablePdb: props.disruptionBudget,
      },
    });
    setResources(cluster, "/spec/resources", config.resources);

    new Database(this, "registry-database", {
      metadata: meta(`${postgres.cluster}-${postgres.registryDatabase}`, "postgres"),
      spec: {
        cluster: { name: postgres.cluster },
        name: postgres.registryDatabase,
        owner: postgres.registryOwner,
      },
    });
  }
}
