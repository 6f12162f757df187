import { Construct } from "constructs";
import { Job } from "cdk8s-plus-33";
import { services } from "../names.js";
import { servicesWorkload, type ServicesPodProps } from "./service-container.js";

export interface RegistrationJobProps extends ServicesPodProps {
  /** How many voters to register. */
  readonly voters: number;
  /** Seed of the generated candidates and electorate. */
  readonly seed: number;
}

/** Registers the candidates and the electorate once, after setup has prepared the database and registry. */
export class RegistrationJob extends Construct {
  constructor(scope: Construct, id: string, props: RegistrationJobProps) {
    super(scope, id);
    const service = {
      name: "registration",
      entrypoint: "producers/registration/main.js",
      args: ["--voters", String(props.voters), "--seed", String(props.seed)],
      kafkaUser: "registration",
    } as const;
    servicesWorkload(
      this,
      { ...props, name: services.registration, service },
      (pod) => new Job(this, "job", { ...pod, backoffLimit: 6 }),
    );
  }
}
