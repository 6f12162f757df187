import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

/** What the probes ask of a service: alive (liveness) and able to do its work now (readiness). */
export interface Health {
  live(): boolean;
  ready(): boolean;
}

/** Serves /healthz, /readyz and /metrics; resolves once listening. */
export async function startHttp(port: number, health: Health, registry: Registry): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const probe = (ok: boolean): void => {
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(ok ? "ok\n" : "not ok\n");
    };
    if (path === "/healthz") return probe(health.live());
    if (path === "/readyz") return probe(health.ready());
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
      return;
    }
    res.writeHead(404).end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return server;
}
