import { senderNeedsCheck } from "@/lib/requests/rules";
import type { SenderEvidence, SenderMethodEvidence } from "@/lib/requests/schema";
import { SummaryList } from "../../../_components/summary-list";
import { formatDateTime } from "../../../_lib/format-time";

function method(result: SenderMethodEvidence | null): string {
  if (!result) return "No result";
  const domain = result.domain ? ` for ${result.domain}` : "";
  const aligned = result.domain ? (result.aligned ? ", matches the From address's domain" : ", does NOT match the From address's domain") : "";
  return `${result.result}${domain}${aligned}`;
}

function yesNo(value: boolean | undefined, yes: string, no: string): string {
  if (value === undefined) return "Not known";
  return value ? yes : no;
}

/**
 * UAP-A.8: for a request that came by email, who sent it and what the operator's mail server
 * said about them (SPF, DKIM, DMARC). A sender that failed the checks, or does not match the
 * account, is shown as a warning until staff confirm it; approval waits for that.
 */
export function SenderCheck({ sender }: { sender: SenderEvidence }) {
  const needsCheck = senderNeedsCheck(sender);
  const auth = sender.authentication;
  const who = sender.displayName ? `${sender.displayName} <${sender.email}>` : sender.email;
  return (
    <section aria-labelledby="sender-check-heading" data-testid="sender-check">
      <h2 className="govuk-heading-m" id="sender-check-heading">
        Email sender (UAP-A.8)
      </h2>
      {needsCheck && !sender.confirmation && (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            This request came by email from a sender that did not pass the checks. Confirm with the account holder, using contact details you already hold, that they sent it before you approve it.
          </strong>
        </div>
      )}
      <SummaryList
        rows={[
          { key: "From", value: who },
          { key: "Passed sender authentication", value: sender.authenticated ? "Yes" : "No" },
          { key: "Address matches the account", value: yesNo(sender.emailMatchesAccount, "Yes", "No") },
          { key: "Name matches the account", value: yesNo(sender.nameMatchesAccount, "Yes", "No") },
          ...(auth
            ? [
                { key: "Checked by", value: auth.authservId ?? "No trusted mail server" },
                { key: "SPF", value: method(auth.spf) },
                { key: "DKIM", value: method(auth.dkim) },
                { key: "DMARC", value: method(auth.dmarc) },
                { key: "Verdict", value: auth.reason },
              ]
            : []),
          ...(sender.messageId ? [{ key: "Message-ID", value: sender.messageId }] : []),
          ...(sender.confirmation
            ? [
                {
                  key: "Sender confirmed",
                  value: `By ${sender.confirmation.confirmedByLabel}, ${formatDateTime(new Date(sender.confirmation.confirmedAt))}: ${sender.confirmation.note}`,
                },
              ]
            : []),
        ]}
      />
    </section>
  );
}
