import { certificationLine } from "../flink-sql/certification.js";
import { EnvReader } from "../producers/runtime/env.js";
import { stackContext, stackUp } from "../local/stack.js";
import { electionNames } from "../schemas/election/names.js";
import { DEFAULT_ELECTION_FILE, loadElection, withOverrides } from "../local/election/document.js";
import { runElection } from "../local/election/run.js";
import type { ElectionSnapshot } from "../local/election/snapshot.js";
import { renderScoreboard, statusLine } from "./scoreboard.js";

/**
 * `make demo`: a whole election on the local stack, shown live in the terminal, ending with the
 * certification of the streamed tallies against the ledger. Run again while its election is open (it
 * was interrupted), it carries that election on; DEMO_FRESH=1 starts a new one.
 */
async function main(): Promise<number> {
  const env = new EnvReader(process.env);
  const file = env.string("ELECTION", DEFAULT_ELECTION_FILE);
  // The document's own settings unless the environment says otherwise.
  const voters = env.positiveInt("VOTERS", 0);
  const seed = env.wholeNumber("ELECTION_SEED", -1);
  const rateLimit = env.nonNegativeNumber("VOTING_RATE_LIMIT", -1);
  const votingPort = env.port("DEMO_VOTING_HTTP_PORT", 29464);
  const fresh = env.wholeNumber("DEMO_FRESH", 0) > 0;
  env.done("demo");
  const election = withOverrides(loadElection(file), {
    ...(voters > 0 ? { voters } : {}),
    ...(seed >= 0 ? { seed } : {}),
    ...(rateLimit >= 0 ? { rateLimit } : {}),
  });
  const names = electionNames(election.metadata.name);

  const tty = Boolean(process.stdout.isTTY) && process.env.CI !== "true";
  const say = (line: string) => console.log(`demo: ${line}`);
  say("starting the local stack if needed");
  await stackUp(stackContext());

  let lastLine = 0;
  const show = (snapshot: ElectionSnapshot) => {
    if (tty) {
      process.stdout.write(
        `\x1b[H\x1b[2J${renderScoreboard(snapshot, process.stdout.columns ?? 80).join("\n")}\n`,
      );
    } else if (Date.now() - lastLine >= 5000) {
      lastLine = Date.now();
      console.log(statusLine(snapshot));
    }
  };
  const result = await runElection({
    election,
    resume: !fresh,
    votingPort,
    registerFirst: true,
    showRegistration: tty,
    say,
    onSnapshot: show,
  });
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  say(
    `registration ${seconds(result.votingStartedAt - result.registrationStartedAt)} s, voting ${seconds(result.votingEndedAt - result.votingStartedAt)} s, settled ${seconds(result.certifiedAt - result.votingEndedAt)} s after voting closed`,
  );
  if (result.restarts > 0) say(`the services were started again ${result.restarts} time(s) after dying`);
  say(
    result.deadLetters === 0
      ? "every voter was handled: no dead letters"
      : `${result.deadLetters} voters went to the dead-letter topic instead of voting; see ${names.topics.deadLetters.name}`,
  );
  say("the stack is still running: `make stack-status` shows it, `make stack-down` stops it");
  console.log(certificationLine(result.certification));
  return result.certification.match && result.deadLetters === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
