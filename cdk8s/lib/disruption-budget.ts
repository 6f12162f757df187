import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { labels } from "../names.js";
import { meta, type Component } from "./meta.js";

export interface DisruptionBudgetProps {
  readonly name: string;
  readonly component: Component;
  readonly podLabels: Record<string, string>;
}

/** Lets a voluntary disruption (a node drain) take at most one pod of a replicated workload. */
export class DisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, "pdb", {
      metadata: meta(props.name, props.component),
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { [labels.name]: props.podLabels[labels.name] ?? props.name } },
      },
    });
  }
}
