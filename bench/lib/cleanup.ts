/**
 * Everything a benchmark starts (database servers, Next servers) is stopped again, also on
 * Ctrl-C or a kill. A second signal (npx passes Ctrl-C on as well) joins the clean-up under
 * way, never races it.
 */
const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;

export const log = (line: string) => process.stderr.write(`${line}\n`);

/** Registers a clean-up; they run last-registered first. */
export function onCleanUp(step: () => Promise<void>): void {
  cleanups.push(step);
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) await cleanups.pop()!().catch((e: unknown) => log(`clean-up: ${e instanceof Error ? e.message : String(e)}`));
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (!cleaning) log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}
