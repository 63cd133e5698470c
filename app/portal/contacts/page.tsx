import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { contactHistory, listContacts } from "@/lib/contacts/queries";
import { contactFieldNames, contactRoleName, contactRoleNames } from "@/lib/contacts/rules";
import type { ContactRole } from "@/lib/db/schema/contacts";
import { ownOperatorMessages } from "@/lib/queries/queries";
import { queryReference, queryStatusNames } from "@/lib/queries/rules";
import { ButtonLink } from "../../_components/button";
import { NotificationBanner } from "../../_components/notification-banner";
import { PageTitle } from "../../_components/page-title";
import { Table } from "../../_components/table";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Contacts" };

const savedMessages: Record<string, string> = { added: "Contact added", changed: "Contact changed", removed: "Contact removed" };
const fieldName = (field: string) => contactFieldNames[field as keyof typeof contactFieldNames] ?? field;
const shown = (field: string, value: string | null) => (value === null ? "(none)" : field === "role" ? (contactRoleNames[value as ContactRole] ?? value) : value);

// GET /portal/contacts — the organisation's key contacts, who changed them and when, and a way to message the operator (AUP-2.1a).
export default async function ContactsPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  const viewer = await viewPage("/portal/contacts", { access: { audience: "provider", kind: "contacts", level: "read" } });
  const { database } = await portal();
  const [contacts, history, messages] = await Promise.all([listContacts(database.db, viewer), contactHistory(database.db, viewer), ownOperatorMessages(database.db, viewer)]);
  const editable = can(viewer, "contacts", "edit");
  const saved = savedMessages[(await searchParams).saved ?? ""];
  return (
    <>
      {saved && (
        <NotificationBanner type="success" heading={saved}>
          <p className="govuk-body">The change is recorded with your name and the time.</p>
        </NotificationBanner>
      )}
      <PageTitle caption={viewer.organisationName}>Contacts</PageTitle>
      <p className="govuk-body">
        The people the operator contacts about your organisation. Keep them current: when someone leaves or changes role, update them here.
      </p>
      {editable && <ButtonLink href="/portal/contacts/new">Add a contact</ButtonLink>}
      {contacts.length === 0 ? (
        <p className="govuk-body" data-testid="no-contacts">
          No key contacts are recorded yet.
        </p>
      ) : (
        <Table
          caption="Key contacts"
          rows={contacts}
          rowKey={(c) => c.id}
          columns={[
            { key: "role", header: "Role", label: "Role", cell: (c) => contactRoleName(c) },
            { key: "name", header: "Name", label: "Name", cell: (c) => (c.jobTitle ? `${c.fullName}, ${c.jobTitle}` : c.fullName) },
            { key: "email", header: "Email", label: "Email", cell: (c) => c.email ?? "" },
            { key: "phone", header: "Telephone", label: "Telephone", cell: (c) => c.phone ?? "" },
            { key: "when", header: "When to contact", label: "When to contact", cell: (c) => c.availability ?? "" },
            ...(editable
              ? [
                  {
                    key: "change",
                    header: <span className="govuk-visually-hidden">Action</span>,
                    label: "Action",
                    cell: (c: (typeof contacts)[number]) => (
                      <Link className="govuk-link" href={`/portal/contacts/${c.id}`}>
                        Change<span className="govuk-visually-hidden"> {c.fullName}</span>
                      </Link>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}

      <h2 className="govuk-heading-m">Contact the operator</h2>
      <p className="govuk-body">
        <Link className="govuk-link" href="/portal/contacts/message">
          Send a message to the operator
        </Link>{" "}
        — it goes to their staff&apos;s queue and they reply to you.
      </p>
      {messages.length > 0 && (
        <ul className="govuk-list" data-testid="operator-messages">
          {messages.map((m) => (
            <li key={m.id}>
              <Link className="govuk-link" href={`/portal/queries/${m.id}`}>
                {queryReference(m.number)}: {m.subject}
              </Link>{" "}
              ({queryStatusNames[m.status]}, {formatDateTime(m.lastMessageAt)})
            </li>
          ))}
        </ul>
      )}

      <h2 className="govuk-heading-m" id="history">
        Changes to contacts
      </h2>
      {history.length === 0 ? (
        <p className="govuk-body">No changes yet.</p>
      ) : (
        <Table
          caption="Who changed what, and when (newest first)"
          rows={history}
          rowKey={(h) => h.id}
          columns={[
            { key: "when", header: "When", label: "When", cell: (h) => formatDateTime(h.createdAt) },
            { key: "who", header: "Who", label: "Who", cell: (h) => h.actorLabel },
            { key: "contact", header: "Contact", label: "Contact", cell: (h) => h.contactName },
            {
              key: "what",
              header: "What changed",
              label: "What changed",
              cell: (h) =>
                h.change === "removed" ? (
                  "Removed"
                ) : (
                  <ul className="govuk-list govuk-!-margin-bottom-0">
                    {h.change === "added" && <li>Added</li>}
                    {Object.entries(h.fields).map(([field, { from, to }]) => (
                      <li key={field}>
                        {fieldName(field)}: {h.change === "added" ? shown(field, to) : `${shown(field, from)} → ${shown(field, to)}`}
                      </li>
                    ))}
                  </ul>
                ),
            },
          ]}
        />
      )}
    </>
  );
}
