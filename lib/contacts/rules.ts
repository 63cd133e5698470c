import type { ContactRole } from "../db/schema/contacts";
import type { ContactInput } from "./schema";

export const contactRoleNames: Record<ContactRole, string> = {
  registered_manager: "Registered manager",
  nominated_individual: "Nominated individual",
  finance: "Finance",
  out_of_hours: "Out of hours",
  safeguarding: "Safeguarding lead",
  data_protection: "Data protection",
  other: "Other",
};

export const contactFieldNames: Record<keyof ContactInput, string> = {
  role: "Role",
  roleLabel: "Role name",
  fullName: "Full name",
  jobTitle: "Job title",
  email: "Email address",
  phone: "Telephone",
  availability: "When to contact",
};

export type ContactFields = ContactInput;
export type FieldChanges = Record<string, { from: string | null; to: string | null }>;

/** The role as people read it: "Other" shows the name the organisation gave it. */
export function contactRoleName(contact: { role: ContactRole; roleLabel: string | null }): string {
  return contact.role === "other" && contact.roleLabel ? contact.roleLabel : contactRoleNames[contact.role];
}

/**
 * What changed between two versions of a contact, field by field; `before` null means the
 * contact is new (every filled field is listed). Empty when nothing changed.
 */
export function contactChanges(before: ContactFields | null, after: ContactFields): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of Object.keys(contactFieldNames) as (keyof ContactInput)[]) {
    const from = before ? (before[field] ?? null) : null;
    const to = after[field] ?? null;
    if (from !== to) changes[field] = { from, to };
  }
  return changes;
}
