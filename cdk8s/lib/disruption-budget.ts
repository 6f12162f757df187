import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { labels } from "../names.js";
import { meta, type Component } from "./meta.js";

export interface DisruptionBudgetProps {
  readonly name: string;
  readonly component: Component;
  readonly podLabels: Record<string, string>;
}

/** The pods' election, where they have one: one election's drain budget is its own. */
function instanceLabel(props: DisruptionBudgetProps): Record<string, string> {
  const instance = props.podLabels[labels.instance];
  return instance ? { [labels.instance]: instance } : {};
}

function budgetSelector(props: DisruptionBudgetProps): Record<string, string> {
  return { [labels.name]: props.podLabels[labels.name] ?? props.name, ...instanceLabel(props) };
}

/** Lets a voluntary disruption (a node drain) take at most one pod of a replicated workload. */
export class DisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, "pdb", {
      metadata: meta(props.name, props.component, instanceLabel(props)),
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: budgetSelector(props) },
      },
    });
  }
}
