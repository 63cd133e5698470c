import type { Metadata } from "next";
import Link from "next/link";
import { DEFAULT_SLACK_DELIVERY } from "@/lib/slack/delivery";
import { describeOccurrence, slackDeadLetters } from "@/lib/slack/dead-letter";
import { can } from "@/lib/auth/permissions";
import { Button } from "../../_components/button";
import { NotificationBanner } from "../../_components/notification-banner";
import { PageTitle } from "../../_components/page-title";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { retrySlackMessage } from "./actions";

export const metadata: Metadata = { title: "Slack messages not posted" };

// GET /staff/slack[?retried=1|problem=…] — the staff channel's messages the Slack bot gave up on, with Try again.
export default async function SlackDeadLettersPage({ searchParams }: { searchParams: Promise<{ retried?: string; problem?: string }> }) {
  const viewer = await viewPage("/staff/slack", { access: { audience: "operator", kind: "outbox", level: "read" } });
  const params = await searchParams;
  const { database } = await portal();
  const letters = await slackDeadLetters(database.db);
  const mayRetry = can(viewer, "outbox", "edit");
  return (
    <>
      {params.retried === "1" && (
        <NotificationBanner type="success" heading="The message will be posted again">
          <p className="govuk-body">The Slack bot posts it within a few seconds, unless Slack already has it.</p>
        </NotificationBanner>
      )}
      {params.problem && (
        <NotificationBanner heading="That message is no longer waiting">
          <p className="govuk-body">Someone may have tried it again already.</p>
        </NotificationBanner>
      )}
      <PageTitle caption="Back office">Slack messages not posted</PageTitle>
      <p className="govuk-body">
        The Slack bot posts each new request, and each due-today or overdue alert, to the staff channel. If Slack does not take a message, the bot
        tries again after a few seconds, then waits longer each time (at most {Math.round(DEFAULT_SLACK_DELIVERY.maxDelayMs / 60_000)} minutes), as
        Slack asks. After {DEFAULT_SLACK_DELIVERY.maxAttempts} attempts, unless configured otherwise, it gives the message up and it is listed here.
        The request itself is not affected: it is in the queue either way.
      </p>
      {letters.length === 0 ? (
        <p className="govuk-body" data-testid="slack-dead-none">
          Every message has been posted.
        </p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">
            {letters.length} {letters.length === 1 ? "message" : "messages"} not posted
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Request</th>
              <th scope="col" className="govuk-table__header">Message</th>
              <th scope="col" className="govuk-table__header">Given up</th>
              {mayRetry && <th scope="col" className="govuk-table__header"><span className="govuk-visually-hidden">Action</span></th>}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {letters.map((letter) => (
              <tr className="govuk-table__row" key={`${letter.requestId}|${letter.occurrence}`}>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" href={`/staff/requests/${letter.requestId}`}>
                    {letter.reference}
                  </Link>{" "}
                  {letter.title}
                </td>
                <td className="govuk-table__cell">{describeOccurrence(letter.occurrence)}</td>
                <td className="govuk-table__cell">{formatDateTime(letter.since)}</td>
                {mayRetry && (
                  <td className="govuk-table__cell">
                    <form action={retrySlackMessage}>
                      <input type="hidden" name="requestId" value={letter.requestId} />
                      <input type="hidden" name="occurrence" value={letter.occurrence} />
                      <Button variant="secondary" className="govuk-!-margin-bottom-0">
                        Try again<span className="govuk-visually-hidden"> for {letter.reference}</span>
                      </Button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="govuk-body">
        Each message given up, and each retry, is in the <Link className="govuk-link" href="/staff/audit">audit log</Link>.
      </p>
    </>
  );
}
