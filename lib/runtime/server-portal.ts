import { describeDemo } from "../demo/describe-demo";
import { openPortal, type Portal } from "./open-portal";

/**
 * The server process's one portal: one database (for PGlite, one process per data folder),
 * shared by proxy, pages, route handlers, jobs and bots. Next may load this module more than
 * once (separate bundles), so the instance lives on globalThis.
 */
const holder = globalThis as typeof globalThis & { __providerPortal?: Promise<Portal> };

export function getPortal(): Promise<Portal> {
  holder.__providerPortal ??= startPortal().catch((error: unknown) => {
    holder.__providerPortal = undefined;
    throw error;
  });
  return holder.__providerPortal;
}

async function startPortal(): Promise<Portal> {
  const portal = await openPortal();
  if (portal.demo) process.stdout.write(`\n${describeDemo(portal.demo)}\n\n`);
  const stop = async () => {
    await portal.close().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return portal;
}
