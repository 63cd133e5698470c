import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record-audit";
import { accounts } from "../../db/schema/accounts";
import { organisations } from "../../db/schema/organisations";
import { AppError } from "../../errors";
import { enqueueMessage } from "../../mail/enqueue-message";
import { parseOrThrow } from "../../validation";
import { hashPassword } from "../passwords";
import { sealSecurityNumber } from "../security-number";
import { newSecretsSchema } from "../secret-rules";
import { endAllSessions } from "../sessions";
import type { AuthDeps, ClientInfo } from "../deps";

/**
 * UAP-3.3: a user who suspects their sign-in details are known rotates password and security
 * number at once; every session of theirs ends and operator staff get a security report.
 */
export async function reportCompromise(
  deps: AuthDeps,
  accountId: string,
  input: { password: string; passwordConfirm: string; securityNumber: string; securityNumberConfirm: string; note: string },
  client: ClientInfo,
): Promise<void> {
  const { db, clock, config } = deps;
  const [row] = await db.select({ account: accounts, organisation: organisations }).from(accounts).innerJoin(organisations, eq(organisations.id, accounts.organisationId)).where(eq(accounts.id, accountId));
  if (!row || row.account.status !== "active") throw new AppError("not_found", "account not active", "Your account is not active.");
  const { account, organisation } = row;
  const secrets = parseOrThrow(newSecretsSchema(config, { email: account.email, fullName: account.fullName }), input);
  const note = input.note.trim().slice(0, 2000);
  const passwordHash = await hashPassword(secrets.password);
  await db.transaction(async (tx) => {
    const now = clock.now();
    await tx
      .update(accounts)
      .set({ passwordHash, securityNumberSealed: sealSecurityNumber(deps.secretsKey, secrets.securityNumber), updatedAt: now })
      .where(eq(accounts.id, account.id));
    const ended = await endAllSessions(tx, clock, [account.id], "compromise_reported");
    await enqueueMessage(tx, {
      kind: "security_report",
      to: [config.operator.mailbox],
      subject: `Security report: ${account.fullName} (${organisation.name}) may be compromised`,
      text: [
        `${account.fullName} <${account.email}> of ${organisation.name} (${organisation.odsCode}) reported that their sign-in details may be compromised.`,
        `Reported at ${now.toISOString()} from ${client.clientAddress ?? "an unknown address"}.`,
        `Their password and security number were changed at once and ${ended} session(s) ended.`,
        "",
        note ? `What they told us:\n${note}` : "They added no details.",
        "",
        "Review their recent activity in the audit log (Audit → this account).",
      ].join("\n"),
    });
    await recordAudit(tx, { accountId: account.id, label: account.fullName, channel: "web", ...client }, clock, {
      action: "account.compromise_reported",
      subjectAccountId: account.id,
      organisationId: account.organisationId,
      detail: { sessionsEnded: ended, note },
    });
  });
}
