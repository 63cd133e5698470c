import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { contactForEdit } from "@/lib/contacts/queries";
import { contactRoleNames } from "@/lib/contacts/rules";
import { contactIdSchema } from "@/lib/contacts/schema";
import { contactRoles } from "@/lib/db/schema/contacts";
import { isAppError } from "@/lib/errors";
import { BackLink } from "../../../_components/back-link";
import { Button } from "../../../_components/button";
import { NotificationBanner } from "../../../_components/notification-banner";
import { PageTitle } from "../../../_components/page-title";
import { portal } from "../../../_lib/portal";
import { auditRefusal, viewPage } from "../../../_lib/viewer";
import { removeContactAction, saveContactAction } from "../actions";
import { ContactForm } from "../contact-form";

export const metadata: Metadata = { title: "Change a contact" };

// GET /portal/contacts/[id] — change or remove one key contact of the viewer's organisation (contacts:edit).
export default async function ChangeContactPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ problem?: string }> }) {
  const { id } = await params;
  const path = `/portal/contacts/${id}`;
  const viewer = await viewPage(path, { access: { audience: "provider", kind: "contacts", level: "edit" } });
  const parsed = contactIdSchema.safeParse(id);
  const { database } = await portal();
  const contact = parsed.success
    ? await contactForEdit(database.db, viewer, parsed.data).catch(async (error: unknown) => {
        if (isAppError(error) && error.code === "not_found") return null;
        throw error;
      })
    : null;
  if (!contact) {
    await auditRefusal(viewer, { path, kind: "contacts" });
    notFound();
  }
  const problem = (await searchParams).problem === "changed";
  return (
    <>
      <BackLink href="/portal/contacts" />
      {problem && (
        <NotificationBanner title="Important" heading="Someone else changed this contact">
          <p className="govuk-body">Check the details below, then try again.</p>
        </NotificationBanner>
      )}
      <PageTitle caption={viewer.organisationName}>Change {contact.fullName}</PageTitle>
      <ContactForm
        action={saveContactAction}
        roles={contactRoles.map((r) => ({ value: r, label: contactRoleNames[r] }))}
        contactId={contact.id}
        version={contact.version}
        initial={{
          role: contact.role,
          roleLabel: contact.roleLabel ?? "",
          fullName: contact.fullName,
          jobTitle: contact.jobTitle ?? "",
          email: contact.email ?? "",
          phone: contact.phone ?? "",
          availability: contact.availability ?? "",
        }}
      />
      <h2 className="govuk-heading-m">Remove this contact</h2>
      <p className="govuk-body">If {contact.fullName} no longer holds this role. The history of changes keeps them.</p>
      <form action={removeContactAction}>
        <input type="hidden" name="contactId" value={contact.id} />
        <input type="hidden" name="version" value={contact.version} />
        <Button variant="warning">Remove {contact.fullName}</Button>
      </form>
    </>
  );
}
