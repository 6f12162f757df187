import type { K8sObject } from "../app.js";
import { controlledObjects } from "../app.js";
import { controller } from "../names.js";
import { platformOf } from "../../controller/platform.js";
import type { PlatformBuild } from "../lib/controller.js";
import { requireElection } from "../../schemas/election/load.js";
import { validateElection } from "../../schemas/election/validate.js";
import { electionResource } from "../../schemas/election/resource.js";

/**
 * What the controller will apply in a cluster holding these objects (a profile's synthesis or a
 * chart's rendering): it reads the platform's settings from its ConfigMap and runs each Election
 * there, as it does at run time (controller/platform.ts, controlledObjects), so `make validate`
 * checks the election workloads as the cluster will hold them.
 */
export function controllerWillApply(objects: readonly K8sObject[]): K8sObject[] {
  const configMap = objects.find(
    (o) => o.kind === "ConfigMap" && o.metadata.name === controller.configMap,
  ) as (K8sObject & { data: Record<string, string> }) | undefined;
  if (configMap === undefined) throw new Error(`no ConfigMap ${controller.configMap} among the objects`);
  const platform = platformOf(
    JSON.parse(configMap.data[controller.valuesKey] ?? "{}") as Record<string, unknown>,
    JSON.parse(configMap.data[controller.buildKey] ?? "{}") as PlatformBuild,
  );
  const elections = objects
    .filter((o) => o.apiVersion === electionResource.apiVersion && o.kind === electionResource.kind)
    .map((o) =>
      requireElection(
        validateElection({
          apiVersion: o.apiVersion,
          kind: o.kind,
          metadata: { name: o.metadata.name },
          spec: o.spec,
        }),
        `Election ${o.metadata.name}`,
      ),
    );
  return controlledObjects(platform.config, elections, platform.files);
}
