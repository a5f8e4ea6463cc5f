// Errors the user can fix (bad image, mask, pack, flag) carry a one-line message that says what to do;
// the CLI maps them to exit code 2. Anything else is an internal error (exit 1).
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string) {
    super(message);
  }
}

/** Thrown when an AbortSignal fires; never a user mistake and never an internal failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
