import type { Metadata } from "next";
import { contactRoleNames } from "@/lib/contacts/rules";
import { contactRoles } from "@/lib/db/schema/contacts";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";
import { saveContactAction } from "../actions";
import { ContactForm } from "../contact-form";

export const metadata: Metadata = { title: "Add a contact" };

// GET /portal/contacts/new — the form for a new key contact (contacts:edit).
export default async function NewContactPage() {
  const viewer = await viewPage("/portal/contacts/new", { access: { audience: "provider", kind: "contacts", level: "edit" } });
  return (
    <>
      <BackLink href="/portal/contacts" />
      <PageTitle caption={viewer.organisationName}>Add a contact</PageTitle>
      <ContactForm action={saveContactAction} roles={contactRoles.map((r) => ({ value: r, label: contactRoleNames[r] }))} />
    </>
  );
}
