import { randomBytes } from "node:crypto";
import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { meta, type Component } from "./meta.js";

/** Marks the Secrets whose values the platform makes up; the Helm chart keeps them across upgrades. */
export const GENERATED_SECRET_LABEL = "livetally.io/generated-secret";
/** Which keys of such a Secret are random, as a comma-separated list. */
export const GENERATED_KEYS_ANNOTATION = "livetally.io/generated-keys";

export interface GeneratedSecretProps {
  readonly name: string;
  readonly component: Component;
  /** Fixed entries, such as the user name that goes with the password. */
  readonly fixed?: Readonly<Record<string, string>>;
  /** Keys that get a random value. */
  readonly generated: readonly string[];
  readonly type?: string;
}

/**
 * A Secret with random values for credentials no operator generates (roles CloudNativePG manages
 * from a Secret, Grafana's admin). The chart renders them with a lookup so upgrades keep them.
 */
export class GeneratedSecret extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    this.name = props.name;
    const generated = Object.fromEntries(
      props.generated.map((k) => [k, randomBytes(18).toString("base64url")]),
    );
    new k8s.KubeSecret(this, "secret", {
      metadata: {
        ...meta(props.name, props.component, { [GENERATED_SECRET_LABEL]: "true" }),
        annotations: { [GENERATED_KEYS_ANNOTATION]: props.generated.join(",") },
      },
      type: props.type ?? "Opaque",
      stringData: { ...props.fixed, ...generated },
    });
  }
}
