import { tallied, type ElectionSnapshot } from "../local/election/snapshot.js";

const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (n: number) => `${n.toFixed(1)}%`;

/** The leader and the margin over the runner-up, in votes and in points of share. */
export function leader(s: ElectionSnapshot): string {
  const [first, second] = [...s.candidates].sort((a, b) => b.votes - a.votes);
  if (!first || first.votes === 0) return "leader: none yet";
  const total = tallied(s);
  const margin = first.votes - (second?.votes ?? 0);
  if (margin === 0) return `leader: tied at ${fmt(first.votes)} votes`;
  return `leader: ${first.name} (${first.party}) by ${fmt(margin)} votes (${((100 * margin) / total).toFixed(1)} pts)`;
}

/** The full-screen scoreboard, as lines. */
export function renderScoreboard(s: ElectionSnapshot, width = 80): string[] {
  const total = tallied(s);
  const turnout = s.registered === 0 ? 0 : (100 * total) / s.registered;
  const lines = [
    `livetally · election night                                    ${s.at.toISOString().slice(11, 19)} UTC`,
    `registered ${fmt(s.registered)}   ledger ${fmt(s.ledgerVotes)}   tallied ${fmt(total)}   turnout ${pct(turnout)}   ${fmt(Math.round(s.votesPerSecond))} votes/s`,
    "",
    `${"CANDIDATE".padEnd(22)}${"PARTY".padEnd(20)}${"VOTES".padStart(10)}${"SHARE".padStart(8)}`,
  ];
  const barWidth = Math.max(0, width - 62);
  for (const c of [...s.candidates].sort((a, b) => b.votes - a.votes)) {
    const share = total === 0 ? 0 : c.votes / total;
    lines.push(
      `${c.name.slice(0, 21).padEnd(22)}${c.party.slice(0, 19).padEnd(20)}${fmt(c.votes).padStart(10)}${pct(100 * share).padStart(8)}  ${"█".repeat(Math.round(share * barWidth))}`,
    );
  }
  lines.push(
    "",
    leader(s),
    "",
    `${"STATE".padEnd(22)}${"REGISTERED".padStart(12)}${"VOTES".padStart(10)}${"TURNOUT".padStart(9)}`,
  );
  for (const st of s.states) {
    lines.push(
      `${st.state.slice(0, 21).padEnd(22)}${fmt(st.registered).padStart(12)}${fmt(st.votes).padStart(10)}${pct(st.turnoutPct).padStart(9)}`,
    );
  }
  return lines;
}

/** One line for logs that are not a terminal (CI), printed every few seconds. */
export function statusLine(s: ElectionSnapshot): string {
  return `election: ledger=${s.ledgerVotes} tallied=${tallied(s)} votes_per_s=${Math.round(s.votesPerSecond)} ${leader(s)}`;
}
