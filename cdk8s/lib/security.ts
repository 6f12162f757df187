import { Capability, SeccompProfileType, type ContainerSecurityContextProps } from "cdk8s-plus-33";

/** The user the service image runs as (node's `node` user in the official images). */
export const SERVICE_UID = 1000;

/** Pod Security Standards "restricted", plus a read-only root filesystem. */
export const restrictedContainer: ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: SERVICE_UID,
  group: SERVICE_UID,
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
  user: SERVICE_UID,
  group: SERVICE_UID,
  fsGroup: SERVICE_UID,
};
