import type { PolicyDocument } from "@/lib/config";
import { daysUntil, formatDate } from "../_components/dates";
import { SummaryList } from "../_components/summary-list";
import { Tag } from "../_components/tag";

/**
 * A policy's version and dates (UAP-6.1). A version takes effect when the policy is reviewed,
 * so its last review is its effective date; the next is due by its review date, at most twelve
 * months later (the configuration refuses more).
 */
export function PolicyFacts({ policy, today }: { policy: PolicyDocument; today: string }) {
  const overdue = daysUntil(policy.reviewDate, today) < 0;
  return (
    <SummaryList
      className="govuk-!-margin-bottom-4"
      rows={[
        { key: "Version", value: <span data-testid="policy-version">{policy.version}</span> },
        { key: "Effective from", value: <span data-testid="policy-effective">{formatDate(policy.effectiveDate)}</span> },
        { key: "Last reviewed", value: <span data-testid="policy-last-review">{formatDate(policy.effectiveDate)}</span> },
        {
          key: "Next review",
          value: (
            <>
              <span data-testid="policy-next-review">{formatDate(policy.reviewDate)}</span>
              {overdue && (
                <Tag colour="red" className="portal-policy-tag">
                  Review overdue
                </Tag>
              )}
            </>
          ),
        },
        ...(policy.mustAccept ? [{ key: "Who must accept it", value: "Everyone, before using the portal" }] : []),
      ]}
    />
  );
}
