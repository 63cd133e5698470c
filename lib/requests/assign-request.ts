import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { can, grantsFor } from "../auth/permissions";
import { accounts, roleGrants } from "../db/schema/accounts";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import type { PortalConfig } from "../config";
import { parseOrThrow } from "../validation";
import { formatReference, type RequestStatus } from "./rules";
import { assignInputSchema } from "./schema";
import { moveRequest, requestAuditFields, runStaffAction, type StaffActionOptions } from "./staff-action";

/**
 * UCP-HD-1: a prioritised request is assigned to a member of operator staff who can action
 * requests (UAP-2.4: trained, authorised staff); reassigning puts it back to "assigned" for the
 * new assignee to start.
 */
export async function assignRequest(
  options: StaffActionOptions & { assigneeId: string },
): Promise<{ requestId: string; status: RequestStatus; assigneeId: string; version: number }> {
  const { assigneeId } = parseOrThrow(assignInputSchema, { assigneeId: options.assigneeId });
  return runStaffAction(options, "assign", async (tx, request, _payload, to) => {
    const assignee = await requireAssignableStaff(tx, options.config, assigneeId);
    const updated = await moveRequest(tx, options.clock, request, to, { assigneeId });
    await recordAudit(tx, options.actor, options.clock, {
      action: "request.assigned",
      ...requestAuditFields(request),
      detail: {
        reference: formatReference(request.number),
        before: { status: request.status, assigneeId: request.assigneeId },
        after: { status: to, assigneeId, assigneeLabel: assignee.fullName },
        version: updated.version,
      },
    });
    return { requestId: updated.id, status: updated.status, assigneeId, version: updated.version };
  });
}

/** An active operator account whose roles grant requests:edit. */
async function requireAssignableStaff(tx: Executor, config: PortalConfig, accountId: string) {
  const [account] = await tx.select({ id: accounts.id, fullName: accounts.fullName, audience: accounts.audience, status: accounts.status }).from(accounts).where(eq(accounts.id, accountId));
  const roles = account ? (await tx.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, accountId))).map((r) => r.roleKey) : [];
  const operatorRoles = roles.filter((key) => config.securityRoles.some((r) => r.key === key && r.audience === "operator"));
  if (!account || account.audience !== "operator" || account.status !== "active" || !can({ grants: grantsFor(config, operatorRoles) }, "requests", "edit")) {
    const message = "Select a member of staff who can action requests";
    throw new AppError("validation", `account ${accountId} cannot be assigned requests`, message, { assigneeId: message });
  }
  return account;
}
