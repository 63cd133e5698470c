"use server";

import { notFound, redirect } from "next/navigation";
import { removeContact } from "@/lib/contacts/remove-contact";
import { saveContact } from "@/lib/contacts/save-contact";
import { contactIdSchema, contactVersionSchema } from "@/lib/contacts/schema";
import { isAppError } from "@/lib/errors";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { auditRefusal, requireAccess } from "../../_lib/viewer";

const FIELDS = ["role", "roleLabel", "fullName", "jobTitle", "email", "phone", "availability"] as const;

// POST (server action) — adds a key contact, or changes one when the form carries its id (contacts:edit, AUP-2.1a).
export async function saveContactAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("provider", "contacts", "edit", "/portal/contacts");
  const values = Object.fromEntries(FIELDS.map((f) => [f, formText(formData, f)]));
  const rawId = formText(formData, "contactId");
  const contactId = rawId ? contactIdSchema.safeParse(rawId) : null;
  const version = contactVersionSchema.safeParse(formText(formData, "version"));
  if (contactId && (!contactId.success || !version.success)) notFound();
  const { database, config, clock } = await portal();
  try {
    await saveContact({
      db: database.db,
      actor: await webActor(config, viewer),
      clock,
      viewer,
      input: values,
      contactId: contactId?.success ? contactId.data : undefined,
      version: version.success ? version.data : undefined,
    });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      await auditRefusal(viewer, { path: `/portal/contacts/${rawId}`, kind: "contacts", level: "edit" });
      notFound();
    }
    return formStateFromError(error, values);
  }
  redirect(`/portal/contacts?saved=${contactId ? "changed" : "added"}`);
}

// POST (server action) — removes a key contact from the current list; the record and its history stay (contacts:edit).
export async function removeContactAction(formData: FormData): Promise<void> {
  const viewer = await requireAccess("provider", "contacts", "edit", "/portal/contacts");
  const contactId = contactIdSchema.safeParse(formText(formData, "contactId"));
  const version = contactVersionSchema.safeParse(formText(formData, "version"));
  if (!contactId.success || !version.success) notFound();
  const { database, config, clock } = await portal();
  try {
    await removeContact({ db: database.db, actor: await webActor(config, viewer), clock, viewer, contactId: contactId.data, version: version.data });
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "not_found") {
      await auditRefusal(viewer, { path: `/portal/contacts/${contactId.data}`, kind: "contacts", level: "edit" });
      notFound();
    }
    if (error.code === "conflict") redirect(`/portal/contacts/${contactId.data}?problem=changed`);
    throw error;
  }
  redirect("/portal/contacts?saved=removed");
}
