/** A problem the user can fix (bad state file, unwritable target): printed without a stack, exit 1. */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
