import { readFileSync } from "node:fs";
import { request } from "node:https";

export interface TlsFiles {
  readonly ca: string;
  /** A client certificate and key, for an endpoint that asks who is calling. */
  readonly cert?: string;
  readonly key?: string;
}

/** GET over TLS verified against the stack's CA; resolves with the status and body, whatever they are. */
export function httpsGet(
  url: string,
  tls: TlsFiles,
  timeoutMs = 5000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(tls.ca),
        ...(tls.cert && tls.key ? { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}
