/**
 * Runs once when the Next.js server starts: opens (and on the embedded default migrates and
 * seeds) the database, so configuration errors stop start-up at once with a clear message.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { stampSocketAddresses } = await import("./lib/runtime/socket-address");
  stampSocketAddresses();
  const { getPortal } = await import("./lib/runtime/server-portal");
  const { ConfigError } = await import("./lib/config/load-config");
  try {
    await getPortal();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n\nThe portal did not start.\n`);
      process.exit(78);
    }
    throw error;
  }
}
