/** CC-7e: the reminder shown wherever a provider user can search or open someone's record. */
export function LookupReminder() {
  return (
    <div className="govuk-inset-text" data-testid="lookup-reminder">
      Only look up the people your organisation provides care for, for that care. Do not look up your own information or a
      colleague&apos;s: searches and records naming you or a colleague are flagged for review by the operator.
    </div>
  );
}
