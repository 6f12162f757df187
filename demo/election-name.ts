/** The name the demo's election is kept under on the local stack. */
export const DEMO_ELECTION = "demo";
