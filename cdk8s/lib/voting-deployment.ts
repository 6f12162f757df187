import { Construct } from "constructs";
import { Deployment } from "cdk8s-plus-33";
import type { PlatformConfig } from "../config.js";
import { services } from "../names.js";
import { DisruptionBudget } from "./disruption-budget.js";
import { componentLabels, meta } from "./meta.js";
import { restrictedPodSecurity } from "./security.js";
import {
  scrapeAnnotations,
  serviceContainer,
  setupContainer,
  tmpVolume,
  workloadResources,
} from "./service-container.js";

export interface VotingDeploymentProps {
  readonly config: PlatformConfig;
}

/** The voting service: casts one vote per registered voter, at the configured rate. */
export class VotingDeployment extends Construct {
  constructor(scope: Construct, id: string, props: VotingDeploymentProps) {
    super(scope, id);
    const { config } = props;
    const tmp = tmpVolume(this, "tmp");
    const podLabels = componentLabels("services", services.voting);
    const deployment = new Deployment(this, "deployment", {
      metadata: meta(services.voting, "services"),
      replicas: config.voting.replicas,
      podMetadata: { labels: podLabels, annotations: scrapeAnnotations },
      securityContext: restrictedPodSecurity,
      initContainers: [{ ...setupContainer(this, config), volumeMounts: [tmp] }],
      containers: [
        {
          ...serviceContainer(this, config, {
            name: "voting",
            entrypoint: "producers/voting/main.js",
            kafkaUser: "voting",
            probes: true,
          }),
          volumeMounts: [tmp],
        },
      ],
    });
    deployment.scheduling.spread({ weight: 100 });
    workloadResources(deployment, [config.voting.resources], [config.setup.resources]);
    if (config.disruptionBudgets) {
      new DisruptionBudget(this, "budget", { name: services.voting, component: "services", podLabels });
    }
  }
}
