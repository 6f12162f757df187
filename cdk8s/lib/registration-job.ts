import { Construct } from "constructs";
import { Job } from "cdk8s-plus-33";
import type { PlatformConfig } from "../config.js";
import { restrictedPodSecurity } from "./security.js";
import { services } from "../names.js";
import { componentLabels, meta } from "./meta.js";
import {
  scrapeAnnotations,
  serviceContainer,
  setupContainer,
  tmpVolume,
  workloadResources,
} from "./service-container.js";

export interface RegistrationJobProps {
  readonly config: PlatformConfig;
}

/** Registers the candidates and the electorate once, after setup has prepared the database and registry. */
export class RegistrationJob extends Construct {
  constructor(scope: Construct, id: string, props: RegistrationJobProps) {
    super(scope, id);
    const { config } = props;
    const tmp = tmpVolume(this, "tmp");
    const job = new Job(this, "job", {
      metadata: meta(services.registration, "services"),
      podMetadata: {
        labels: componentLabels("services", services.registration),
        annotations: scrapeAnnotations,
      },
      backoffLimit: 6,
      securityContext: restrictedPodSecurity,
      initContainers: [{ ...setupContainer(this, config), volumeMounts: [tmp] }],
      containers: [
        {
          ...serviceContainer(this, config, {
            name: "registration",
            entrypoint: "producers/registration/main.js",
            args: ["--voters", String(config.election.voters), "--seed", String(config.election.seed)],
            kafkaUser: "registration",
            probes: true,
          }),
          volumeMounts: [tmp],
        },
      ],
    });
    workloadResources(job, [config.registration.resources], [config.setup.resources]);
  }
}
