import { sql } from "drizzle-orm";
import type { Actor } from "../audit/events";
import type { Channel } from "../audit/events";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { loadViewer, type Viewer } from "./permissions";

/**
 * The viewer and actor for someone acting outside a browser session (the CLI's --as, a Slack
 * user matched to their account): the same permission checks as the web, with the channel
 * recorded on every audit event. Only an active account can act.
 */
export async function viewerForEmail(db: Executor, config: PortalConfig, email: string, channel: Channel): Promise<{ viewer: Viewer; actor: Actor }> {
  const wanted = email.trim().toLowerCase();
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = ${wanted}`).limit(1);
  const viewer = account ? await loadViewer(db, config, { accountId: account.id, sessionId: `${channel}:${account.id}` }) : null;
  if (!viewer) throw new AppError("not_found", `no active account for ${wanted}`, `There is no active account with the email address ${wanted}.`);
  return { viewer, actor: { accountId: viewer.accountId, label: viewer.fullName, channel } };
}
