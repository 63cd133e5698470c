import type { Clock } from "../../clock";
import type { PortalConfig } from "../../config";
import type { Executor } from "../../db/types";
import { enqueueMessage } from "../../mail/enqueue-message";
import { issueLink } from "../links";

/**
 * CC-6: a new account gets two separate emails — its username (the Lead correspondent
 * copied) and, apart from it, the single-use set-up link. Never both in one message.
 */
export async function sendAccountSetup(
  tx: Executor,
  deps: { config: PortalConfig; clock: Clock; baseUrl: string },
  account: { id: string; email: string; fullName: string },
  options: { leadEmails: string[]; requestId?: string | null },
): Promise<void> {
  const { config } = deps;
  const token = await issueLink(tx, deps.clock, account.id, "setup", config.signIn.setupLinkHours);
  await enqueueMessage(tx, {
    kind: "account_username",
    to: [account.email],
    cc: options.leadEmails.filter((e) => e !== account.email),
    subject: `Your ${config.operator.shortName} account`,
    text: [
      `Dear ${account.fullName},`,
      "",
      `An account on the ${config.operator.name} ${config.operator.shortName} has been set up for you.`,
      `Your username is: ${account.email}`,
      "",
      "A separate email will give you a link to choose your password and your 6-digit security number.",
      `If you were not expecting this, contact ${config.operator.teamName} at ${config.operator.mailbox}.`,
    ].join("\n"),
    requestId: options.requestId ?? null,
    idempotencyKey: `account_username:${account.id}:${token.slice(0, 8)}`,
  });
  await enqueueMessage(tx, {
    kind: "account_setup_link",
    to: [account.email],
    subject: `Set up your ${config.operator.shortName} sign-in`,
    text: [
      `Dear ${account.fullName},`,
      "",
      "Use this link to choose your password and security number:",
      `${deps.baseUrl}/set-up/${token}`,
      "",
      `The link works once and expires in ${config.signIn.setupLinkHours} hours. Do not forward this email.`,
    ].join("\n"),
    requestId: options.requestId ?? null,
    sensitive: true,
    idempotencyKey: `account_setup_link:${account.id}:${token.slice(0, 8)}`,
  });
}
