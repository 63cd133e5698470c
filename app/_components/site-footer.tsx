import Link from "next/link";
export interface FooterLink {
  href: string;
  text: string;
}

/** Links every page's footer carries (PRIV-4, PRIV-7, UAP-6.1 and the accessibility statement). */
export const defaultFooterLinks: FooterLink[] = [
  { href: "/privacy", text: "Privacy" },
  { href: "/cookies", text: "Cookies" },
  { href: "/policies", text: "Policies" },
  { href: "/accessibility", text: "Accessibility statement" },
];

export interface SiteFooterProps {
  operatorName: string;
  /** The operator's team and mailbox, for "Contact …" under the links. */
  contact?: { teamName: string; mailbox: string };
  links?: FooterLink[];
}

/** GOV.UK footer without the crown, the crest or the Open Government Licence (not Crown copyright). */
export function SiteFooter({ operatorName, contact, links = defaultFooterLinks }: SiteFooterProps) {
  return (
    <footer className="govuk-template__footer">
      <div className="govuk-footer">
        <div className="govuk-width-container">
          <div className="govuk-footer__meta">
            <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <h2 className="govuk-visually-hidden">Support links</h2>
              <ul className="govuk-footer__inline-list">
                {links.map((link) => (
                  <li key={link.href} className="govuk-footer__inline-list-item">
                    <Link className="govuk-footer__link" href={link.href}>
                      {link.text}
                    </Link>
                  </li>
                ))}
              </ul>
              {contact && (
                <div className="govuk-footer__meta-custom">
                  Contact {contact.teamName}:{" "}
                  <a className="govuk-footer__link" href={`mailto:${contact.mailbox}`}>
                    {contact.mailbox}
                  </a>
                </div>
              )}
            </div>
            <div className="govuk-footer__meta-item">
              <p className="govuk-body-s portal-footer__operator">Run by {operatorName}</p>
            </div>
          </div>
        </div>
      </div>
    </footer>
  );
}
