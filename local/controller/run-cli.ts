import { runMain } from "../../producers/runtime/main.js";
import { stackContext, stackUp } from "../stack.js";
import { localControllerEnv, startController } from "./controller.js";

/**
 * `make controller-run`: the Election controller against the local stack's Kubernetes control plane
 * (brought up if it is not), in the foreground with its logs; `kubectl --kubeconfig
 * .stack/kubernetes/admin.kubeconfig apply -f elections/city-council.yaml -n livetally` gives it work.
 */
runMain("controller-run", async () => {
  const ctx = stackContext({ ...process.env, LIVETALLY_KUBERNETES: "1" });
  await stackUp(ctx);
  const running = startController(process.env.POD_NAME ?? "local", await localControllerEnv(ctx), {
    inheritOutput: true,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => running.process.kill(signal));
  }
  return running.exited;
});
