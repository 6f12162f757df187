import { Construct } from "constructs";
import { Deployment } from "cdk8s-plus-33";
import { services } from "../names.js";
import { DisruptionBudget } from "./disruption-budget.js";
import { componentLabels } from "./meta.js";
import { servicesWorkload, type ServicesPodProps } from "./service-container.js";
import { VOTING_NODE_FLAGS } from "../../producers/voting/node-flags.js";

export interface VotingDeploymentProps extends ServicesPodProps {
  /** @default 1 */
  readonly replicas?: number;
  /** A PodDisruptionBudget, so that a node drain takes one replica at a time. @default false */
  readonly disruptionBudget?: boolean;
}

/** The voting service: casts one vote per registered voter, at the rate of the services ConfigMap. */
export class VotingDeployment extends Construct {
  constructor(scope: Construct, id: string, props: VotingDeploymentProps) {
    super(scope, id);
    const service = {
      name: "voting",
      entrypoint: "producers/voting/main.js",
      nodeFlags: VOTING_NODE_FLAGS,
      kafkaUser: "voting",
    } as const;
    const deployment = servicesWorkload(
      this,
      { ...props, name: services.voting, service },
      (pod) => new Deployment(this, "deployment", { ...pod, replicas: props.replicas ?? 1 }),
    );
    deployment.scheduling.spread({ weight: 100 });
    if (props.disruptionBudget ?? false) {
      new DisruptionBudget(this, "budget", {
        name: services.voting,
        component: "services",
        podLabels: componentLabels("services", services.voting),
      });
    }
  }
}
