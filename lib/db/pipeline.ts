/** One statement of a batch writer, made only when its turn comes: the thunk starts it on the caller's transaction. */
export type BatchStatement = () => PromiseLike<unknown>;

/**
 * Statements made ahead of the one the database is running. One: making a batch is synchronous
 * work, and while Node makes one it cannot start the next even when the database has finished,
 * so making two ahead left the database waiting longer, not less (bench/sweep).
 */
const LOOKAHEAD = 1;

/**
 * Sends batch statements one after another on the caller's transaction (a connection runs one
 * at a time, and node-postgres deprecates queueing several), with Node making the next one —
 * iterating `statements` builds, validates, hashes and encodes a batch — while the database
 * runs the one before.
 *
 * Statements go in the order they are made. A statement that fails stops the rest, and so does
 * an error thrown while one is made; either is rethrown once the statement in flight has
 * answered, so none is left unobserved and the caller's transaction rolls back.
 */
export async function sendAll(statements: Iterable<BatchStatement>): Promise<void> {
  const source = statements[Symbol.iterator]();
  const ready: BatchStatement[] = [];
  let inFlight: Promise<void> | null = null;
  let failure: { cause: unknown } | null = null;
  let exhausted = false;

  const startNext = () => {
    const next = ready.shift();
    if (!next) return;
    let started: PromiseLike<unknown>;
    try {
      // Started now rather than on a later promise turn: the database is free.
      started = next();
    } catch (error) {
      started = Promise.reject(error);
    }
    const running: Promise<void> = Promise.resolve(started)
      .then(
        () => undefined,
        (cause: unknown) => {
          failure ??= { cause };
        },
      )
      .finally(() => {
        if (inFlight === running) inFlight = null;
      });
    inFlight = running;
  };

  try {
    while (failure === null) {
      if (inFlight === null && ready.length > 0) {
        startNext();
        // The driver reaches the socket only after a few promise turns (drizzle's execute is
        // async): let it get there before Node goes back to making, or the statement would sit
        // in Node while the next one is made.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!exhausted && ready.length < LOOKAHEAD) {
        const item = source.next();
        if (item.done) exhausted = true;
        else ready.push(item.value);
        continue;
      }
      if (inFlight === null) {
        if (ready.length === 0) break;
        continue;
      }
      await inFlight;
    }
  } catch (error) {
    // Making a statement threw: the one in flight still answers before the error goes on.
    failure ??= { cause: error };
  }
  while (inFlight !== null) await inFlight;
  if (failure !== null) throw (failure as { cause: unknown }).cause;
}
