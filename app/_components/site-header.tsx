import Link from "next/link";
import type { ReactNode } from "react";
import { cx } from "./cx";

export interface NavigationItem {
  href: string;
  text: string;
  /** This item is the page being shown (aria-current="page"). */
  current?: boolean;
  /** The page being shown is inside this item's section (aria-current="true"). */
  active?: boolean;
}

export interface SiteHeaderProps {
  /** The operator (council) that runs the portal: shown top left, with no crown. */
  operatorName: string;
  /** The service's name, shown in the service navigation bar. */
  serviceName: string;
  serviceUrl?: string;
  navigation?: NavigationItem[];
  /**
   * The end of the service navigation bar: who is signed in and a "Sign out" form, for
   * example. Left out, a "Sign in" link to /sign-in is shown; pass null to show nothing.
   */
  account?: ReactNode;
}

/**
 * The page header: GOV.UK's generic header (a service that is not GOV.UK, so no crown and no
 * GDS Transport) carrying the operator's name, then the service navigation.
 * Server-rendered; with no client JavaScript the navigation is always shown, never collapsed.
 */
export function SiteHeader({ operatorName, serviceName, serviceUrl = "/", navigation = [], account }: SiteHeaderProps) {
  const end = account === undefined ? <SignInLink /> : account;
  return (
    <header className="govuk-template__header">
      <div className="govuk-generic-header portal-header">
        <div className="govuk-generic-header__container govuk-width-container">
          <div className="govuk-generic-header__logo">
            <Link href="/" className="govuk-generic-header__homepage-link portal-header__operator">
              {operatorName}
            </Link>
          </div>
        </div>
      </div>
      <section aria-label="Service information" className="govuk-service-navigation portal-service-navigation">
        <div className={cx("govuk-width-container", end != null && "govuk-service-navigation__inlining-container")}>
          <div className="govuk-service-navigation__container">
            <span className="govuk-service-navigation__service-name">
              <Link href={serviceUrl} className="govuk-service-navigation__link">
                {serviceName}
              </Link>
            </span>
            {navigation.length > 0 && (
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <ul className="govuk-service-navigation__list" id="navigation">
                  {navigation.map((item) => (
                    <NavigationLink key={item.href} item={item} />
                  ))}
                </ul>
              </nav>
            )}
          </div>
          {end != null && <div className="portal-account">{end}</div>}
        </div>
      </section>
    </header>
  );
}

function NavigationLink({ item }: { item: NavigationItem }) {
  const highlighted = item.current || item.active;
  return (
    <li className={cx("govuk-service-navigation__item", highlighted && "govuk-service-navigation__item--active")}>
      <Link
        className="govuk-service-navigation__link"
        href={item.href}
        aria-current={item.current ? "page" : item.active ? "true" : undefined}
      >
        {/* Strong, so people who override colours still see which item is current. */}
        {highlighted ? <strong className="govuk-service-navigation__active-fallback">{item.text}</strong> : item.text}
      </Link>
    </li>
  );
}

/** The default account slot: a link to the sign-in page. */
export function SignInLink() {
  return (
    <Link href="/sign-in" className="govuk-service-navigation__link portal-account__link">
      Sign in
    </Link>
  );
}

/**
 * An account slot for a signed-in person: their name and a "Sign out" button that posts the
 * given form (a server action or a route). The button looks like a navigation link.
 */
export function SignedInAccount({ name, signOut }: { name: string; signOut: string | ((formData: FormData) => void | Promise<void>) }) {
  return (
    <>
      <span className="portal-account__name">
        <span className="govuk-visually-hidden">Signed in as </span>
        {name}
      </span>
      <form action={signOut} method={typeof signOut === "string" ? "post" : undefined} className="portal-account__form">
        <button type="submit" className="portal-account__button govuk-service-navigation__link">
          Sign out
        </button>
      </form>
    </>
  );
}
