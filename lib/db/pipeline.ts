/**
 * Batches of one statement each, written one after another on the caller's transaction, with
 * Node preparing the next batch while the database works on this one: send() waits for the
 * statement before (a connection runs one at a time, and node-postgres deprecates queueing
 * several), starts this one and returns at once. A failure stops further sends and is rethrown
 * by settle(), after the statement in flight has answered, so none is left unobserved.
 */
export class Pipeline {
  private inFlight: Promise<void> = Promise.resolve();
  private error: { cause: unknown } | null = null;

  get failed(): boolean {
    return this.error !== null;
  }

  /** `start` makes and starts the statement (a thunk, so nothing reaches the driver early). */
  async send(start: () => PromiseLike<unknown>): Promise<void> {
    await this.inFlight;
    if (this.error) return;
    this.inFlight = Promise.resolve(
      start().then(
        () => undefined,
        (cause: unknown) => {
          this.error ??= { cause };
        },
      ),
    );
    // Let the driver hand the statement's bytes to the socket before the caller goes back to work.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async settle(): Promise<void> {
    await this.inFlight;
    if (this.error) throw this.error.cause;
  }
}
