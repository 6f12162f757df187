import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The local control plane's keys and certificates, made once with openssl and kept under the stack's
 * directory: a cluster CA that signs the API server's serving certificate and the client certificates
 * (the admin's, in system:masters, and the controller-manager's), a front-proxy CA (the API server
 * publishes it for aggregated servers, and kube-controller-manager refuses to authenticate requests
 * without it), and the key pair service-account tokens are signed with.
 */
export interface Pki {
  readonly dir: string;
  readonly ca: KeyPair;
  readonly apiServer: KeyPair;
  readonly controllerManagerServing: KeyPair;
  readonly admin: KeyPair;
  readonly controllerManager: KeyPair;
  readonly frontProxyCa: KeyPair;
  readonly frontProxyClient: KeyPair;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

/** The names the API server answers to on this machine and, as Kubernetes names it, in a cluster. */
const API_SERVER_NAMES = [
  "IP:127.0.0.1",
  "DNS:localhost",
  "DNS:kubernetes",
  "DNS:kubernetes.default",
  "DNS:kubernetes.default.svc",
  // The first address of the service range (kube-apiserver's --service-cluster-ip-range).
  "IP:10.96.0.1",
];

/** The admin's user name; system:masters may do anything, as kubeadm's admin.conf does. */
export const ADMIN_USER = "livetally-admin";

const DAYS = "3650";

export function pkiPaths(dir: string): Pki {
  const pair = (name: string): KeyPair => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) });
  return {
    dir,
    ca: pair("ca"),
    apiServer: pair("apiserver"),
    controllerManagerServing: pair("controller-manager-serving"),
    admin: pair("admin"),
    controllerManager: pair("controller-manager"),
    frontProxyCa: pair("front-proxy-ca"),
    frontProxyClient: pair("front-proxy-client"),
    serviceAccountKey: join(dir, "service-accounts.key"),
    serviceAccountPublicKey: join(dir, "service-accounts.pub"),
  };
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? "").trim();
    throw new Error(`openssl ${args[0]} failed: ${stderr}`);
  }
}

/** A certificate for `subject`, signed by `ca`, with the extensions given in openssl's config syntax. */
function signed(pair: KeyPair, subject: string, ca: KeyPair, extensions: readonly string[], cwd: string) {
  const csr = `${pair.cert}.csr`;
  const ext = `${pair.cert}.ext`;
  writeFileSync(ext, `[ext]\n${extensions.join("\n")}\n`);
  try {
    openssl(
      ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key, "-out", csr, "-subj", subject],
      cwd,
    );
    openssl(
      [
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca.cert,
        "-CAkey",
        ca.key,
        "-CAcreateserial",
        "-out",
        pair.cert,
      ].concat(["-days", DAYS, "-extfile", ext, "-extensions", "ext"]),
      cwd,
    );
  } finally {
    rmSync(csr, { force: true });
    rmSync(ext, { force: true });
  }
}

const serving = (names: readonly string[]) => [
  "keyUsage=critical,digitalSignature,keyEncipherment",
  "extendedKeyUsage=serverAuth",
  `subjectAltName=${names.join(",")}`,
];
const client = ["keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=clientAuth"];

/** Makes whatever of the PKI is missing; idempotent. */
export function ensurePki(dir: string): Pki {
  const pki = pkiPaths(dir);
  if (existsSync(pki.serviceAccountPublicKey)) return pki;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = (pair: KeyPair, name: string) =>
    openssl(
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key, "-out", pair.cert].concat([
        "-days",
        DAYS,
        "-subj",
        `/CN=${name}`,
      ]),
      dir,
    );
  ca(pki.ca, "livetally-local-kubernetes-ca");
  ca(pki.frontProxyCa, "livetally-local-front-proxy-ca");
  signed(pki.apiServer, "/CN=kube-apiserver", pki.ca, serving(API_SERVER_NAMES), dir);
  signed(
    pki.controllerManagerServing,
    "/CN=kube-controller-manager",
    pki.ca,
    serving(["IP:127.0.0.1", "DNS:localhost"]),
    dir,
  );
  signed(pki.admin, `/O=system:masters/CN=${ADMIN_USER}`, pki.ca, client, dir);
  signed(pki.controllerManager, "/CN=system:kube-controller-manager", pki.ca, client, dir);
  signed(pki.frontProxyClient, "/CN=front-proxy-client", pki.frontProxyCa, client, dir);
  openssl(["genrsa", "-out", pki.serviceAccountKey, "2048"], dir);
  // Written last: its presence says the whole set is there.
  openssl(["rsa", "-in", pki.serviceAccountKey, "-pubout", "-out", pki.serviceAccountPublicKey], dir);
  return pki;
}
