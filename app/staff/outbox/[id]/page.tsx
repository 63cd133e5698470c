import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getOutboundMessage } from "@/lib/mail/outbox-queries";
import { mailDeliveryConfigured } from "@/lib/mail/delivery-mode";
import { BackLink } from "../../../_components/back-link";
import { PageTitle } from "../../../_components/page-title";
import { SummaryList } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";
import { portal } from "../../../_lib/portal";
import { requireAccess } from "../../../_lib/viewer";

export const metadata: Metadata = { title: "Email" };

// GET /staff/outbox/:id — one outbound email as its recipient gets it.
export default async function OutboundMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAccess("operator", "outbox", "read", "/staff/outbox");
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const { database } = await portal();
  const message = await getOutboundMessage(database.db, id.data, { revealSensitive: !mailDeliveryConfigured() });
  if (!message) notFound();
  return (
    <>
      <BackLink href="/staff/outbox">Outbox</BackLink>
      <PageTitle caption="Outbox">{message.subject}</PageTitle>
      <SummaryList
        rows={[
          { key: "To", value: message.to.join(", ") },
          ...(message.cc.length ? [{ key: "Copied to", value: message.cc.join(", ") }] : []),
          { key: "Queued", value: formatDateTime(message.createdAt) },
          { key: "Status", value: message.sentAt ? `${message.status}, ${formatDateTime(message.sentAt)}` : message.status },
        ]}
      />
      <h2 className="govuk-heading-m">Message</h2>
      <pre className="portal-email-body" data-testid="email-body">{message.text}</pre>
    </>
  );
}
