import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { requirePermission, type Viewer } from "../auth/permissions";
import { contactRoles, organisationContactChanges, organisationContacts } from "../db/schema/contacts";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export type ContactRow = typeof organisationContacts.$inferSelect;
export type ContactChangeRow = typeof organisationContactChanges.$inferSelect & { contactName: string };

/** The organisation's current key contacts, in the order of the roles list (contacts: read). */
export async function listContacts(db: Executor, viewer: Viewer): Promise<ContactRow[]> {
  requirePermission(viewer, "contacts", "read");
  const rows = await db
    .select()
    .from(organisationContacts)
    .where(and(eq(organisationContacts.organisationId, viewer.organisationId), isNull(organisationContacts.removedAt)))
    .orderBy(asc(organisationContacts.fullName));
  const order = (r: ContactRow) => contactRoles.indexOf(r.role);
  return rows.sort((a, b) => order(a) - order(b));
}

/** One live contact of the viewer's organisation, or not_found (never another organisation's). */
export async function contactForEdit(db: Executor, viewer: Viewer, contactId: string): Promise<ContactRow> {
  requirePermission(viewer, "contacts", "edit");
  const [row] = await db
    .select()
    .from(organisationContacts)
    .where(and(eq(organisationContacts.id, contactId), eq(organisationContacts.organisationId, viewer.organisationId), isNull(organisationContacts.removedAt)));
  if (!row) throw new AppError("not_found", `contact ${contactId} not found for ${viewer.organisationId}`, "Page not found");
  return row;
}

/** Who changed what and when, newest first (AUP-2.1a). */
export async function contactHistory(db: Executor, viewer: Viewer, limit = 50): Promise<ContactChangeRow[]> {
  requirePermission(viewer, "contacts", "read");
  const rows = await db
    .select({ change: organisationContactChanges, contactName: organisationContacts.fullName })
    .from(organisationContactChanges)
    .innerJoin(organisationContacts, eq(organisationContacts.id, organisationContactChanges.contactId))
    .where(eq(organisationContactChanges.organisationId, viewer.organisationId))
    .orderBy(desc(organisationContactChanges.seq))
    .limit(limit);
  return rows.map((r) => ({ ...r.change, contactName: r.contactName }));
}
