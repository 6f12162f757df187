import { describe, expect, it } from "vitest";
import { applyTransformations, byName, type Transformation } from "./transformations.js";

const stream = [
  { time: 1, offset: 0, state: "Ohio", registered: 10, votes: 0 },
  { time: 2, offset: 1, state: "Texas", registered: 4, votes: 1 },
  { time: 3, offset: 2, state: "Ohio", registered: 10, votes: 3 },
  { time: 4, offset: 3, state: "Ohio", registered: 12, votes: 3 },
];

const latest: Transformation = {
  id: "groupBy",
  options: {
    fields: {
      state: { operation: "groupby", aggregations: [] },
      registered: { operation: "aggregate", aggregations: ["last"] },
      votes: { operation: "aggregate", aggregations: ["last"] },
    },
  },
};

describe("applyTransformations", () => {
  it("groups by key, keeping each key's last row, named as Grafana names a reduced field, in first-seen order", () => {
    expect(applyTransformations(stream, [latest])).toEqual([
      { state: "Ohio", "registered (last)": 12, "votes (last)": 3 },
      { state: "Texas", "registered (last)": 4, "votes (last)": 1 },
    ]);
  });

  it("renames and drops fields, computes a field from two others, and sorts", () => {
    const rows = applyTransformations(stream, [
      latest,
      {
        id: "organize",
        options: { renameByName: { "votes (last)": "votes", "registered (last)": "registered" } },
      },
      {
        id: "calculateField",
        options: {
          mode: "binary",
          binary: { left: byName("votes"), operator: "/", right: byName("registered") },
          alias: "turnout",
          timeSeries: false,
          replaceFields: false,
        },
      },
      { id: "organize", options: { excludeByName: { registered: true } } },
      { id: "sortBy", options: { sort: [{ field: "turnout", desc: true }] } },
    ]);
    expect(rows).toEqual([
      { state: "Ohio", votes: 3, turnout: 0.25 },
      { state: "Texas", votes: 1, turnout: 0.25 },
    ]);
    expect(
      applyTransformations(rows, [{ id: "sortBy", options: { sort: [{ field: "state", desc: true }] } }]).map(
        (r) => r.state,
      ),
    ).toEqual(["Texas", "Ohio"]);
  });

  it("refuses what it does not model rather than guess", () => {
    expect(() => applyTransformations(stream, [{ id: "reduce", options: {} }])).toThrow(
      /unsupported transformation/,
    );
    const sum = {
      id: "groupBy",
      options: { fields: { votes: { operation: "aggregate", aggregations: ["sum"] } } },
    };
    expect(() => applyTransformations(stream, [sum])).toThrow(/unsupported reducer sum/);
    const missing = {
      id: "groupBy",
      options: { fields: { candidate: { operation: "groupby", aggregations: [] } } },
    };
    expect(() => applyTransformations(stream, [missing])).toThrow(/no field candidate/);
    const text = {
      id: "calculateField",
      options: {
        mode: "binary",
        binary: { left: byName("state"), operator: "/", right: byName("votes") },
        alias: "x",
      },
    };
    expect(() => applyTransformations(stream, [text])).toThrow(/state is not a number/);
  });
});
