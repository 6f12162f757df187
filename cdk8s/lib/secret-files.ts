import { Secret, Volume, type VolumeMount } from "cdk8s-plus-33";
import type { Construct } from "constructs";

/**
 * Credentials reach the containers as files, never as environment variables: nothing leaks into
 * /proc/<pid>/environ, crash dumps or child processes. Each Secret a pod mounts gets a folder here,
 * with one file per key.
 */
export const SECRETS_DIR = "/var/run/secrets/livetally";

/**
 * Readable by the owner (root) and the group (the pod's fsGroup, which the containers' user is
 * in), not by others: Apicurio Registry warns of a world-readable secret file.
 */
export const SECRET_FILE_MODE = 0o440;

/** A Secret mounted as files: the folder is named by `folder`, a fixed name even where the Secret's is a chart value. */
export interface SecretFiles {
  readonly mount: VolumeMount;
  /** The file holding one key of the Secret. */
  file(key: string): string;
}

/** Mounts a Secret read-only under SECRETS_DIR/<folder>, for the containers of a cdk8s-plus workload. */
export function secretFiles(scope: Construct, folder: string, secretName: string): SecretFiles {
  const volume = Volume.fromSecret(
    scope,
    `${folder}-secret-volume`,
    Secret.fromSecretName(scope, `${folder}-secret`, secretName),
    { name: `secret-${folder}`, defaultMode: SECRET_FILE_MODE },
  );
  const dir = `${SECRETS_DIR}/${folder}`;
  return { mount: { volume, path: dir, readOnly: true }, file: (key) => `${dir}/${key}` };
}

/** The same as secretFiles, as the plain volume and mount of a pod template (the FlinkDeployment's). */
export function secretFilesJson(folder: string, secretName: string) {
  const name = `secret-${folder}`;
  const dir = `${SECRETS_DIR}/${folder}`;
  return {
    volume: { name, secret: { secretName, defaultMode: SECRET_FILE_MODE } },
    mount: { name, mountPath: dir, readOnly: true },
    file: (key: string) => `${dir}/${key}`,
  };
}
