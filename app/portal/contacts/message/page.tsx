import type { Metadata } from "next";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { viewPage } from "../../../_lib/viewer";
import { sendOperatorMessageAction } from "../../queries/actions";
import { MessageForm } from "../../queries/message-form";
import { OfficialRecordReminder } from "../../queries/thread-messages";

export const metadata: Metadata = { title: "Contact the operator" };

// GET /portal/contacts/message — "Contact the operator" (AUP-2.1a): a message into the staff queue (contacts:read).
export default async function ContactOperatorPage() {
  const viewer = await viewPage("/portal/contacts/message", { access: { audience: "provider", kind: "contacts", level: "read" } });
  return (
    <>
      <BackLink href="/portal/contacts" />
      <PageTitle caption={viewer.organisationName}>Contact the operator</PageTitle>
      <p className="govuk-body">Your message goes to the operator&apos;s staff queue with a reference. You will be emailed when they reply.</p>
      <OfficialRecordReminder />
      <MessageForm action={sendOperatorMessageAction} withSubject submitText="Send message" />
    </>
  );
}
