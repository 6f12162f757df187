import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { synthesize, type K8sObject } from "../../cdk8s/app.js";
import { platformConfig } from "../../cdk8s/config.js";
import { controller, labels } from "../../cdk8s/names.js";
import { sharedDir } from "../../cdk8s/validate/shared.js";
import { KubeRest } from "../../controller/kube-rest.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import type { StackContext } from "../engine.js";
import { apiServerUrl, controlPlanePaths, kubeconfig } from "./control-plane.js";

/** The field manager of what the local stack applies to its API server. */
const FIELD_MANAGER = "livetally-local-stack";

/** How long the controller's token lasts; every `make stack-up` issues a fresh one. */
const TOKEN_SECONDS = 7 * 24 * 3600;

/** Every CRD of the reference data ($LIVETALLY_SHARED/crds): the operators' kinds the platform uses. */
export function sharedCrds(): K8sObject[] {
  const root = join(sharedDir(), "crds");
  return readdirSync(root)
    .sort()
    .flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .flatMap((f) =>
          parseAllDocuments(readFileSync(join(root, dir, f), "utf8")).map((d) => d.toJS() as K8sObject),
        ),
    )
    .filter((o) => o?.kind === "CustomResourceDefinition");
}

/**
 * What the controller runs with, as the chart installs it: the Election CRD, the namespace, and the
 * controller's ServiceAccount, Role and RoleBinding.
 */
export function controllerGrounds(objects: readonly K8sObject[]): K8sObject[] {
  const isController = (o: K8sObject) => o.metadata.labels?.[labels.component] === "controller";
  return objects.filter(
    (o) =>
      o.kind === "CustomResourceDefinition" ||
      o.kind === "Namespace" ||
      (isController(o) && ["ServiceAccount", "Role", "RoleBinding"].includes(o.kind)),
  );
}

export function adminKubeConfig(ctx: StackContext): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(controlPlanePaths(ctx).adminKubeconfig);
  return config;
}

/** Server-side apply as the local stack, taking over any field. */
export async function applyObjects(api: KubeRest, objects: readonly K8sObject[]): Promise<void> {
  await Promise.all(objects.map((o) => api.apply(o, FIELD_MANAGER)));
}

/** Waits until the API server serves every CRD given (each Established). */
async function awaitEstablished(api: KubeRest, crds: readonly K8sObject[]): Promise<void> {
  for (const crd of crds) {
    await pollUntil(
      async () => {
        const current = await api.get<V1CustomResourceDefinition>({
          apiVersion: crd.apiVersion,
          kind: crd.kind,
          metadata: { name: crd.metadata.name },
        });
        const established = current.status?.conditions?.some(
          (c) => c.type === "Established" && c.status === "True",
        );
        return established ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the CRD ${crd.metadata.name} to be established` },
    );
  }
}

/**
 * Makes the local API server ready for the controller and `make validate`: every CRD the platform's
 * objects need, the Election CRD, the namespace and the controller's RBAC; then writes a kubeconfig
 * holding a token of the controller's ServiceAccount, so whatever runs as the controller is held to
 * the chart's Role. Idempotent.
 */
export async function bootstrapCluster(ctx: StackContext, say: (what: string) => void): Promise<void> {
  const config = adminKubeConfig(ctx);
  const api = new KubeRest(config);
  say("installing the CRDs");
  const grounds = controllerGrounds(synthesize(platformConfig("kind")));
  const crds = [...sharedCrds(), ...grounds.filter((o) => o.kind === "CustomResourceDefinition")];
  await applyObjects(api, crds);
  await awaitEstablished(api, crds);
  say("installing the controller's namespace and RBAC");
  const rest = grounds.filter((o) => o.kind !== "CustomResourceDefinition");
  await applyObjects(
    api,
    rest.filter((o) => o.kind === "Namespace"),
  );
  await applyObjects(
    api,
    rest.filter((o) => o.kind !== "Namespace"),
  );
  const account = rest.find((o) => o.kind === "ServiceAccount");
  if (!account?.metadata.namespace) throw new Error("the platform has no controller ServiceAccount");
  const token = await config.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: account.metadata.name,
    namespace: account.metadata.namespace,
    body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
  });
  const paths = controlPlanePaths(ctx);
  writeFileSync(
    paths.controllerKubeconfig,
    kubeconfig(apiServerUrl(ctx), paths.pki.ca.cert, { token: token.status?.token ?? "" }),
    { mode: 0o600 },
  );
  say(`${controller.name}'s kubeconfig written`);
}
