import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { accounts } from "../db/schema/accounts";
import { lockAccount, type AccountChangeOptions } from "./account-changes";

/** CC-7c: sets (or extends) the date a temporary member of staff's access ends. */
export async function changeAccountEndDate(options: AccountChangeOptions & { accountId: string; endDate: string | null }): Promise<{ before: string | null; after: string | null }> {
  const { tx, actor, clock, accountId, endDate } = options;
  const account = await lockAccount(tx, accountId);
  await tx.update(accounts).set({ endDate, updatedAt: clock.now() }).where(eq(accounts.id, accountId));
  await recordAudit(tx, actor, clock, {
    action: "account.end_date_changed",
    organisationId: account.organisationId,
    subjectAccountId: accountId,
    requestId: options.requestId ?? null,
    detail: { before: { endDate: account.endDate }, after: { endDate } },
  });
  return { before: account.endDate, after: endDate };
}
