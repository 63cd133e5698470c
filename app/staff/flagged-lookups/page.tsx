import type { Metadata } from "next";
import Link from "next/link";
import { listFlaggedLookups } from "@/lib/care/flagged-lookups";
import { PageTitle } from "../../_components/page-title";
import { Tag } from "../../_components/tag";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Flagged look-ups" };

// GET /staff/flagged-lookups — CC-7e: provider searches and record views naming the user or a colleague, for review (operator audit read).
export default async function FlaggedLookupsPage() {
  await viewPage("/staff/flagged-lookups", { access: { audience: "operator", kind: "audit", level: "read" } });
  const { database } = await portal();
  const flags = await listFlaggedLookups(database.db);
  return (
    <>
      <PageTitle>Flagged look-ups</PageTitle>
      <p className="govuk-body">
        Provider users must not look up their own or their colleagues&apos; information. A search, or an opened record of a person receiving care,
        that names the user or someone with an account at their organisation is listed here for review. The search terms themselves are kept only in
        the anonymous search log.
      </p>
      {flags.length === 0 ? (
        <p className="govuk-body">Nothing has been flagged.</p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="flagged-lookups">
          <caption className="govuk-table__caption govuk-table__caption--s">{flags.length} most recent</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">When</th>
              <th scope="col" className="govuk-table__header">Who looked</th>
              <th scope="col" className="govuk-table__header">Whose name</th>
              <th scope="col" className="govuk-table__header">How</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {flags.map((f) => (
              <tr key={f.seq} className="govuk-table__row">
                <td className="govuk-table__cell" data-label="When">{formatDateTime(f.occurredAt)}</td>
                <td className="govuk-table__cell" data-label="Who looked">
                  {f.actorId ? (
                    <Link className="govuk-link" href={`/staff/audit/accounts/${f.actorId}`}>
                      {f.actorLabel}
                    </Link>
                  ) : (
                    f.actorLabel
                  )}
                  {f.organisationName && <span className="govuk-body-s"><br />{f.organisationName}</span>}
                </td>
                <td className="govuk-table__cell" data-label="Whose name">
                  <Tag colour={f.match === "own" ? "orange" : "red"}>{f.match === "own" ? "Their own" : "A colleague's"}</Tag> {f.match === "colleague" ? f.namedName : ""}
                </td>
                <td className="govuk-table__cell" data-label="How">
                  {f.via === "record" ? "Opened a record" : "Searched"} ({f.scope})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
