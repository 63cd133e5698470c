import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Viewer } from "../auth/permissions";
import type { Clock } from "../clock";
import { organisationContactChanges, organisationContacts } from "../db/schema/contacts";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { parseOrThrow } from "../validation";
import { contactChanges, contactRoleName, type FieldChanges } from "./rules";
import { contactInputSchema, type ContactInput } from "./schema";

export interface SaveContactOptions {
  db: Database;
  actor: Actor;
  clock: Clock;
  viewer: Viewer;
  /** Unparsed form values: parsed here, so every surface gets the same messages. */
  input: unknown;
  /** An existing contact to change, with the version the person saw; absent to add one. */
  contactId?: string;
  version?: number;
}

const fieldsOf = (row: typeof organisationContacts.$inferSelect): ContactInput => ({
  role: row.role,
  roleLabel: row.roleLabel,
  fullName: row.fullName,
  jobTitle: row.jobTitle,
  email: row.email,
  phone: row.phone,
  availability: row.availability,
});

/**
 * AUP-2.1a: adds a key contact, or changes one, for the viewer's own organisation (contacts:
 * edit). The row, the history entry (who, what, when) and the audit event commit together.
 * Returns the contact's id and what changed (empty when the form was sent unchanged).
 */
export async function saveContact(options: SaveContactOptions): Promise<{ contactId: string; changes: FieldChanges }> {
  const { db, actor, clock, viewer } = options;
  requirePermission(viewer, "contacts", "edit");
  const input = parseOrThrow(contactInputSchema, options.input);
  return db.transaction(async (tx) => {
    const now = clock.now();
    let contactId = options.contactId;
    let changes: FieldChanges;
    if (!contactId) {
      const [row] = await tx
        .insert(organisationContacts)
        .values({ ...input, organisationId: viewer.organisationId, createdAt: now, updatedAt: now })
        .returning({ id: organisationContacts.id });
      contactId = row!.id;
      changes = contactChanges(null, input);
    } else {
      // Only a live contact of the viewer's own organisation; anything else does not exist for them (AUP-5.2d).
      const [current] = await tx
        .select()
        .from(organisationContacts)
        .where(and(eq(organisationContacts.id, contactId), eq(organisationContacts.organisationId, viewer.organisationId), isNull(organisationContacts.removedAt)))
        .for("update");
      if (!current) throw new AppError("not_found", `contact ${contactId} not found for ${viewer.organisationId}`, "Page not found");
      if (options.version !== undefined && options.version !== current.version) {
        throw new AppError("conflict", `contact ${contactId} is at version ${current.version}`, "Someone else changed this contact while you were editing it. Check the details below and make your change again.");
      }
      changes = contactChanges(fieldsOf(current), input);
      if (Object.keys(changes).length === 0) return { contactId, changes };
      await tx
        .update(organisationContacts)
        .set({ ...input, version: current.version + 1, updatedAt: now })
        .where(eq(organisationContacts.id, contactId));
    }
    const change = options.contactId ? "changed" : "added";
    await tx.insert(organisationContactChanges).values({
      contactId,
      organisationId: viewer.organisationId,
      change,
      fields: changes,
      actorId: actor.accountId,
      actorLabel: actor.label,
      channel: actor.channel,
      createdAt: now,
    });
    await recordAudit(tx, actor, clock, {
      action: `contact.${change}`,
      organisationId: viewer.organisationId,
      detail: { contactId, role: contactRoleName(input), fields: Object.keys(changes) },
    });
    return { contactId, changes };
  });
}
