import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import { organisationContactChanges, organisationContacts } from "../db/schema/contacts";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { contactRoleName } from "./rules";

/**
 * AUP-2.1a: a contact who no longer holds the role is removed from the current list. The row
 * is kept (marked removed) so the history still names them; the change is recorded and audited.
 */
export async function removeContact(options: { db: Database; actor: Actor; clock: Clock; viewer: Viewer; contactId: string; version?: number }): Promise<void> {
  const { db, actor, clock, viewer, contactId } = options;
  requirePermission(viewer, "contacts", "edit");
  await db.transaction(async (tx) => {
    const now = clock.now();
    const [current] = await tx
      .select()
      .from(organisationContacts)
      .where(and(eq(organisationContacts.id, contactId), eq(organisationContacts.organisationId, viewer.organisationId), isNull(organisationContacts.removedAt)))
      .for("update");
    if (!current) throw new AppError("not_found", `contact ${contactId} not found for ${viewer.organisationId}`, "Page not found");
    if (options.version !== undefined && options.version !== current.version) {
      throw new AppError("conflict", `contact ${contactId} is at version ${current.version}`, "Someone else changed this contact meanwhile. Check it and try again.");
    }
    await tx.update(organisationContacts).set({ removedAt: now, version: current.version + 1, updatedAt: now }).where(eq(organisationContacts.id, contactId));
    await tx.insert(organisationContactChanges).values({
      contactId,
      organisationId: viewer.organisationId,
      change: "removed",
      fields: { fullName: { from: current.fullName, to: null } },
      actorId: actor.accountId,
      actorLabel: actor.label,
      channel: actor.channel,
      createdAt: now,
    });
    await recordAudit(tx, actor, clock, {
      action: "contact.removed",
      organisationId: viewer.organisationId,
      detail: { contactId, role: contactRoleName(current) },
    });
  });
}
