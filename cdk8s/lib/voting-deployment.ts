import { Construct } from "constructs";
import { Deployment } from "cdk8s-plus-33";
import { electionObjectNames, services } from "../names.js";
import { DisruptionBudget } from "./disruption-budget.js";
import { servicesPodLabels, servicesWorkload, type ServicesPodProps } from "./service-container.js";
import { VOTING_NODE_FLAGS } from "../../producers/voting/node-flags.js";

export interface VotingDeploymentProps extends ServicesPodProps {
  /** @default 1 */
  readonly replicas?: number;
  /** A PodDisruptionBudget, so that a node drain takes one replica at a time. @default false */
  readonly disruptionBudget?: boolean;
}

/** An election's voting service: casts one vote per registered voter, at the election's spec.voting rate. */
export class VotingDeployment extends Construct {
  constructor(scope: Construct, id: string, props: VotingDeploymentProps) {
    super(scope, id);
    const names = electionObjectNames(props.election);
    const service = {
      name: "voting",
      entrypoint: "producers/voting/main.js",
      nodeFlags: VOTING_NODE_FLAGS,
      kafkaUser: names.kafkaUsers.voting,
    };
    const deployment = servicesWorkload(
      this,
      { ...props, name: names.voting, app: services.voting, service },
      (pod) => new Deployment(this, "deployment", { ...pod, replicas: props.replicas ?? 1 }),
    );
    deployment.scheduling.spread({ weight: 100 });
    if (props.disruptionBudget ?? false) {
      new DisruptionBudget(this, "budget", {
        name: names.voting,
        component: "services",
        podLabels: servicesPodLabels(services.voting, props.election),
      });
    }
  }
}
