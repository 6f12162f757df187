import { electionNames } from "../schemas/election/names.js";

/** The election the chaos run holds on the local stack, under its own name beside any other. */
export const chaosNames = electionNames("chaos");
