/**
 * An error that ends a command with a message for the person who ran it, not a stack trace: a bad
 * setting, a missing precondition, a wrong argument. Each kind of such error extends this one, so a
 * command's entry point tells them from bugs in one place.
 */
export class CommandError extends Error {
  override readonly name: string = "CommandError";
  /** The exit code it ends the command with: 2, as for a usage error. */
  readonly exitCode: number = 2;
}
