/**
 * An error caused by the user's input (a file, a module, an option), as opposed to a bug in dtcheck.
 * Its message is one line that names the file, says what is wrong and what to do; the CLI prints
 * it without a stack trace and exits with code 2.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly file: string | undefined;

  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.file = options.file;
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
