import { Capability, SeccompProfileType, type ContainerSecurityContextProps } from "cdk8s-plus-33";

/**
 * The user and group livetally's containers run as, above 10000: no user of a node's has it, so a
 * process that escaped its container would own nothing there. The services image runs as it too
 * (producers/Dockerfile); Grafana's and Apicurio Registry's images run as any user.
 */
export const RUN_AS_ID = 10001;

/** Pod Security Standards "restricted", plus a read-only root filesystem. */
export const restrictedContainer: ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: RUN_AS_ID,
  group: RUN_AS_ID,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: [Capability.ALL] },
  seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT },
};

/** The same context as a plain object, for pod templates that cdk8s-plus does not build. */
export function restrictedContainerJson(uid: number, readOnlyRootFilesystem: boolean) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function restrictedPodJson(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** The pod-level half of the restricted context, for cdk8s-plus workloads. */
export const restrictedPodSecurity = {
  ensureNonRoot: true,
  user: RUN_AS_ID,
  group: RUN_AS_ID,
  fsGroup: RUN_AS_ID,
};
