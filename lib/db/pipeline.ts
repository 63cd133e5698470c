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

/**
 * Runs writers that share one transaction side by side — the driver queues their statements on
 * the one connection, so the database works on one writer's batch while Node prepares the
 * other's — and waits for every one of them to finish before reporting the first failure.
 * (Promise.all would let the caller roll back while another writer is still sending
 * statements, which would then run outside the transaction.)
 */
export async function alongside<T extends readonly unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
