/** Runs once when the Next.js server starts (Node runtime only; see lib/runtime/start-server.ts). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/runtime/start-server");
    await startServer();
  }
}
