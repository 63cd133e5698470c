import type { DemoSummary } from "./seed-demo";

/**
 * The banner printed when demo data is seeded: how to sign in, one line an account. The server
 * prints it without the shared password and security number (`showSecrets: false`): its output
 * goes to logs, which must hold no secret.
 */
export function describeDemo(summary: DemoSummary, options: { showSecrets?: boolean } = {}): string {
  const width = Math.max(...summary.accounts.map((a) => a.email.length));
  const lines = summary.accounts.map((a) => `  ${a.email.padEnd(width)}  ${a.status.padEnd(9)}  ${a.roles.join(", ")} — ${a.organisation}`);
  return [
    "Demo data seeded. Sign in at /sign-in with any active account below:",
    options.showSecrets === false
      ? "  password and security number: the demo's, as given in the README (The demo)"
      : `  password: ${summary.password}    security number: ${summary.securityNumber}`,
    ...lines,
    "Pending accounts are waiting to be set up: staff find their set-up links in Back office → Outbox.",
  ].join("\n");
}
