/**
 * Statements sent one after another on the same transaction without waiting for each, so the
 * database works on one while Node prepares the next (the driver queues them in order). A
 * failure is kept — and later batches are not built — and rethrown by settle(), after every
 * statement sent has answered, so none is left unobserved.
 */
export class Pipeline {
  private pending: Promise<void>[] = [];
  private error: { cause: unknown } | null = null;

  get failed(): boolean {
    return this.error !== null;
  }

  /** Starts the statement now (drizzle's queries start on then()), then yields so its bytes go out. */
  async send(statement: PromiseLike<unknown>): Promise<void> {
    this.pending.push(
      Promise.resolve(
        statement.then(
          () => undefined,
          (cause: unknown) => {
            this.error ??= { cause };
          },
        ),
      ),
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async settle(): Promise<void> {
    await Promise.all(this.pending);
    if (this.error) throw this.error.cause;
  }
}
