import { describe, expect, it } from "vitest";
import { defaultElection } from "../../tests/support/example-elections.js";
import { drawVoters } from "./electorate.js";
import { copyRows } from "./register.js";

describe("copyRows", () => {
  it("writes a tab-separated line per voter in the voters table's column order", () => {
    const [voter] = drawVoters(defaultElection, 3, 0, 1).map((v) => ({ ...v, registered_at: 0 }));
    if (voter === undefined) throw new Error("no voter drawn");
    const fields = copyRows([voter]).split("\n")[0]?.split("\t");
    expect(fields).toHaveLength(17);
    expect(fields?.[0]).toBe(voter.voter_id);
    expect(fields?.[8]).toBe(voter.address.state);
    expect(fields?.slice(-2)).toEqual([String(voter.registered_age), "1970-01-01T00:00:00.000Z"]);
    expect(copyRows([voter, voter]).split("\n")).toHaveLength(3);
  });

  it("escapes backslashes, tabs and line breaks, which COPY would read as structure", () => {
    const [drawn] = drawVoters(defaultElection, 3, 0, 1);
    if (drawn === undefined) throw new Error("no voter drawn");
    const line = copyRows([{ ...drawn, name: "O\\Brien\tthe\nsecond\r", registered_at: 0 }]);
    expect(line.split("\t")[1]).toBe("O\\\\Brien\\tthe\\nsecond\\r");
  });
});
