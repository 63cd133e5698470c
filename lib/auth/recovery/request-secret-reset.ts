import { sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../../audit/record-audit";
import { accounts } from "../../db/schema/accounts";
import { enqueueMessage } from "../../mail/enqueue-message";
import { issueLink } from "../links";
import { PUBLIC_FORM_LIMITS, countUse, rateKey, rateLimitedError } from "../throttle";
import type { AuthDeps, ClientInfo } from "../deps";

export const resetRequestSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email address").max(320).pipe(z.email("Enter an email address in the correct format, like name@example.org")),
  which: z.enum(["password", "security_number"], { error: "Select what you have forgotten" }),
});

/** Links for resets last an hour: long enough to read the email, short enough to be safe. */
const RESET_LINK_HOURS = 1;

/**
 * Sends a single-use reset link to an active account's own address. The answer never says
 * whether the address has an account (no enumeration); only an active account gets an email.
 */
export async function requestSecretReset(deps: AuthDeps, input: z.infer<typeof resetRequestSchema>, client: ClientInfo): Promise<void> {
  const { db, clock, config } = deps;
  // Counted before the address is looked up, whether or not it has an account, so the limit
  // itself never tells anyone which addresses do (issue 11: rate limits on public forms).
  const perEmail = await countUse(db, clock, rateKey("reset-email", input.email), PUBLIC_FORM_LIMITS.resetPerEmail);
  const perClient = client.clientAddress ? await countUse(db, clock, rateKey("reset-client", client.clientAddress), PUBLIC_FORM_LIMITS.resetPerClient) : { allowed: true };
  if (!perEmail.allowed) throw rateLimitedError(PUBLIC_FORM_LIMITS.resetPerEmail, "reset request for one address");
  if (!perClient.allowed) throw rateLimitedError(PUBLIC_FORM_LIMITS.resetPerClient, "reset requests from one client");
  const [account] = await db.select().from(accounts).where(sql`lower(${accounts.email}) = ${input.email}`).limit(1);
  if (!account || account.status !== "active") return;
  const purpose = input.which === "password" ? "reset_password" : "reset_security_number";
  const what = input.which === "password" ? "password" : "security number";
  await db.transaction(async (tx) => {
    const token = await issueLink(tx, clock, account.id, purpose, RESET_LINK_HOURS);
    await enqueueMessage(tx, {
      kind: `reset_${input.which}`,
      to: [account.email],
      subject: `Reset your ${config.operator.shortName} ${what}`,
      text: [
        `Dear ${account.fullName},`,
        "",
        `Use this link to choose a new ${what}. It works once and expires in ${RESET_LINK_HOURS} hour:`,
        `${deps.baseUrl}/reset/${token}`,
        "",
        `If you did not ask for this, you can ignore this email, but tell ${config.operator.teamName} at ${config.operator.mailbox}.`,
      ].join("\n"),
      sensitive: true,
    });
    await recordAudit(tx, { accountId: account.id, label: account.fullName, channel: "web", ...client }, clock, {
      action: "account.reset_requested",
      subjectAccountId: account.id,
      organisationId: account.organisationId,
      detail: { which: input.which },
    });
  });
}
