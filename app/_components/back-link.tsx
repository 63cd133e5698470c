import Link from "next/link";
/** GOV.UK back link: to the page before, by its real address (no history.back() script). */
export function BackLink({ href, children = "Back" }: { href: string; children?: string }) {
  return (
    <Link href={href} className="govuk-back-link">
      {children}
    </Link>
  );
}
