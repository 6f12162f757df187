import { Construct } from "constructs";
import { Job } from "cdk8s-plus-33";
import { electionObjectNames, services } from "../names.js";
import { servicesWorkload, type ServicesPodProps } from "./service-container.js";

export type RegistrationJobProps = ServicesPodProps;

/**
 * Registers an election's candidates and its whole electorate (spec.electorate) once, after setup has
 * prepared its schema and subjects.
 */
export class RegistrationJob extends Construct {
  constructor(scope: Construct, id: string, props: RegistrationJobProps) {
    super(scope, id);
    const names = electionObjectNames(props.election);
    const service = {
      name: "registration",
      entrypoint: "producers/registration/main.js",
      kafkaUser: names.kafkaUsers.registration,
    };
    servicesWorkload(
      this,
      { ...props, name: names.registration, app: services.registration, service },
      (pod) => new Job(this, "job", { ...pod, backoffLimit: 6 }),
    );
  }
}
