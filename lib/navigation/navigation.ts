import type { AccessLevel, InformationKind } from "../config";
import { can, type Viewer } from "../auth/permissions";

/** One place a viewer can go: the header shows `text`, the home page shows `text` and `description`. */
export interface NavigationEntry {
  href: string;
  text: string;
  /** What the function is for, as the home page lists it. */
  description: string;
  /** The grant that opens it; none for pages every signed-in person of the audience has. */
  requires?: { kind: InformationKind; level: AccessLevel };
}

/**
 * The provider functions (AUP-2.1), each behind the kind and level its pages check with
 * requireAccess — so a link is shown exactly when following it would not be refused (AUP-5.1d).
 */
export const providerFunctions: readonly NavigationEntry[] = [
  {
    href: "/portal/contacts",
    text: "Contacts",
    description: "Your organisation's key contacts and their roles, and a message to the operator",
    requires: { kind: "contacts", level: "read" },
  },
  {
    href: "/portal/purchase-orders",
    text: "Purchase orders",
    description: "Purchase orders for the packages of care you provide, with their line items",
    requires: { kind: "purchase_orders", level: "read" },
  },
  {
    href: "/portal/contracts",
    text: "Contracts",
    description: "Contracts for packages of care, to review and sign online",
    requires: { kind: "contracts", level: "read" },
  },
  {
    href: "/portal/queries",
    text: "Queries",
    description: "Questions to the operator about people receiving care or about payments, and the replies",
    requires: { kind: "queries", level: "read" },
  },
  {
    href: "/portal/payments",
    text: "Payments",
    description: "Scheduled payments and remittance advices",
    requires: { kind: "payments", level: "read" },
  },
  {
    href: "/portal/users",
    text: "Our users",
    description: "Everyone in your organisation with an account, and requests for new users, role changes and suspensions",
    requires: { kind: "users", level: "read" },
  },
  {
    href: "/portal/requests",
    text: "Our requests",
    description: "The requests your organisation has made and where each has got to",
    requires: { kind: "users", level: "read" },
  },
  {
    href: "/portal/reviews",
    text: "Reviews",
    description: "The quarterly review of your organisation's users",
    requires: { kind: "users", level: "edit" },
  },
];

/** The back office's tools, each behind the operator grant its pages check. */
export const staffFunctions: readonly NavigationEntry[] = [
  { href: "/staff/requests", text: "Requests", description: "The queue of requests from providers, with their SLA clocks", requires: { kind: "requests", level: "read" } },
  {
    href: "/staff/organisations",
    text: "Organisations",
    description: "Provider organisations: onboarding, the Lead correspondent, licences and closures",
    requires: { kind: "organisations", level: "read" },
  },
  {
    href: "/staff/contracts",
    text: "Contracts",
    description: "Contracts published to providers and whether each has been signed",
    requires: { kind: "organisations", level: "read" },
  },
  {
    href: "/staff/queries",
    text: "Queries",
    description: "Providers' queries and messages to the operator, to answer",
    requires: { kind: "requests", level: "read" },
  },
  { href: "/staff/reviews", text: "Reviews", description: "Quarterly user reviews and who is overdue", requires: { kind: "requests", level: "read" } },
  {
    href: "/staff/sign-in-locks",
    text: "Sign-in locks",
    description: "Accounts and addresses locked after repeated failed sign-ins",
    requires: { kind: "requests", level: "edit" },
  },
  { href: "/staff/intake", text: "Email intake", description: "Messages to the operator mailbox that need staff, and what the intake did", requires: { kind: "requests", level: "read" } },
  { href: "/staff/outbox", text: "Outbox", description: "Every email the portal has sent or queued", requires: { kind: "outbox", level: "read" } },
  { href: "/staff/slack", text: "Slack messages", description: "Messages the Slack bot could not post to the staff channel, and Try again", requires: { kind: "outbox", level: "read" } },
  { href: "/staff/audit", text: "Audit log", description: "Search everything that happened, and export it", requires: { kind: "audit", level: "read" } },
  { href: "/staff/jobs", text: "Jobs", description: "The scheduled jobs, their last runs, and Run now", requires: { kind: "jobs", level: "read" } },
  {
    href: "/staff/feeds",
    text: "Feeds",
    description: "Upload care packages, purchase orders and payments from the finance system",
    requires: { kind: "feeds", level: "edit" },
  },
  {
    href: "/staff/flagged-lookups",
    text: "Flagged look-ups",
    description: "Provider searches and records naming the user or a colleague, for review (CC-7e)",
    requires: { kind: "audit", level: "read" },
  },
];

const reaches = (viewer: Pick<Viewer, "grants">, entry: NavigationEntry) => !entry.requires || can(viewer, entry.requires.kind, entry.requires.level);

/** The functions this viewer's security roles open, in menu order; nothing they would be refused. */
export function functionsFor(viewer: Pick<Viewer, "grants" | "audience">): NavigationEntry[] {
  const list = viewer.audience === "provider" ? providerFunctions : staffFunctions;
  return list.filter((entry) => reaches(viewer, entry));
}

/** The header's menu: home, the functions the viewer reaches, then their account. */
export function navigationFor(viewer: Pick<Viewer, "grants" | "audience">): { href: string; text: string }[] {
  const home = viewer.audience === "provider" ? { href: "/portal", text: "Home" } : { href: "/staff", text: "Back office" };
  return [home, ...functionsFor(viewer).map(({ href, text }) => ({ href, text })), { href: "/account", text: "Your account" }];
}
