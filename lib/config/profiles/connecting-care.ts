import type { PortalConfigInput } from "../schema";

/**
 * An example profile modelled on a shared care record's user management guide for
 * authorisers (the CC clauses): partner organisations hold a number of licences a year,
 * requests come from validated authorisers, are for direct care only and are actioned
 * within five working days. Every name and mailbox is an example; a deployment sets its own.
 */
export const connectingCareProfile: PortalConfigInput = {
  profile: "connecting-care",
  operator: {
    name: "Example Shared Care Record Partnership",
    shortName: "Connecting Care",
    teamName: "Connecting Care back office",
    mailbox: "connectingcare@records.example.org",
    telephone: "01234 567800",
    dataProtection: {
      officer: "Data Protection Officer",
      email: "dpo@records.example.org",
      postalAddress: "Information Governance, Example Shared Care Record Partnership, 1 Example Street, Exampleton, EX2 2BB",
    },
    region: "Example region",
  },
  policies: [
    {
      key: "acceptable-use",
      title: "Acceptable use of Connecting Care",
      version: "1.0",
      effectiveDate: "2026-04-01",
      reviewDate: "2027-04-01",
      summary:
        "Connecting Care is for direct care only. You must not look up your own or colleagues' records, whatever the reason; such look-ups are investigated.",
      mustAccept: true,
    },
    {
      key: "authoriser-guide",
      title: "User management: guide for authorisers",
      version: "1.0",
      effectiveDate: "2026-04-01",
      reviewDate: "2027-04-01",
      summary: "Who may have a licence, the types of request, how long they take and the authoriser's responsibilities.",
    },
    {
      key: "privacy",
      title: "Privacy and security notice",
      version: "1.0",
      effectiveDate: "2026-04-01",
      reviewDate: "2027-04-01",
      summary: "What we record about you, why, and the cookies this site sets.",
    },
  ],
  accounts: {
    // Unused licences are reclaimed (a "deletion due to un-use"); a quarter of no sign-in.
    inactivityDays: 90,
    inactivityWarningDays: 14,
    // Temporary staff are suspended on their finishing date unless the authoriser extends it (CC-7c).
    endDateWarningDays: 14,
    // Information governance training is ongoing; completion older than a year counts as expired (CC-7f).
    igTrainingValidityMonths: 12,
    reviewIntervalMonths: 3,
    reviewReminderDays: [14, 7],
    endedPackageVisibleDays: 90,
  },
  requests: {
    // CC-5: actioned within five working days of receipt by the back office.
    slaWorkingDays: 5,
    serviceHours: { timeZone: "Europe/London", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
    bankHolidayDivision: "england-and-wales",
    // CC-2b: direct care only; research and other secondary uses are not processed further.
    refusedPurposeTerms: [
      "research",
      "secondary use",
      "secondary purpose",
      "clinical trial",
      "audit study",
      "service evaluation",
      "commissioning analysis",
      "marketing",
      "commercial",
    ],
    relatedSystems: [
      { key: "service_desk", name: "Local service desk ticket resolved", appliesTo: ["new_user", "role_change", "suspension", "reinstatement"] },
    ],
  },
  email: {
    acceptedDomains: ["nhs.net", "nhs.uk", "gov.uk"],
    otherDomains: "attestation",
    genericMailboxNames: [
      "info", "admin", "office", "team", "enquiries", "enquiry", "reception", "contact", "hello", "mail",
      "manager", "management", "accounts", "finance", "care", "careteam", "support", "help", "servicedesk",
      "helpdesk", "general", "staff", "hr", "referrals", "duty", "noreply", "no-reply", "postmaster", "webmaster",
    ],
    personalWebmailDomains: [
      "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com", "live.co.uk",
      "msn.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "aol.com", "aol.co.uk", "icloud.com", "me.com",
      "mac.com", "btinternet.com", "sky.com", "talktalk.net", "virginmedia.com", "protonmail.com", "proton.me",
      "gmx.com", "gmx.co.uk", "mail.com", "zoho.com",
    ],
  },
  network: { trustedNetworks: ["10.0.0.0/8", "127.0.0.0/8", "::1/128"], clientAddressFrom: "socket" },
  // CC-2a: each partner organisation is allocated licences per year; authorisers are alerted near the maximum.
  licences: { defaultAllocation: 50, alertThresholdPercent: 80 },
  signIn: {
    securityDigitsAsked: 3,
    challengeMinutes: 5,
    emailCodeMinutes: 10,
    setupLinkHours: 72,
    lockoutAfterFailures: 5,
    lockoutMinutes: 15,
    minimumPasswordLength: 12,
  },
  sessions: { idleMinutes: 15, absoluteHours: 10 },
  securityRoles: [
    {
      key: "authoriser",
      name: "Authoriser",
      audience: "provider",
      description:
        "A nominated authoriser of a partner organisation: requests new licences, role changes, deletions and reactivations, and sees the organisation's users and their training.",
      grants: { users: "edit", contacts: "edit", queries: "edit", purchase_orders: "read", contracts: "read" },
      authoriser: true,
    },
    {
      key: "clinical",
      name: "Clinical",
      audience: "provider",
      description: "Clinicians giving direct care: the fullest view of the record, and queries about the people they care for.",
      grants: { contacts: "read", purchase_orders: "read", contracts: "read", queries: "edit" },
    },
    {
      key: "social_care",
      name: "Social care",
      audience: "provider",
      description: "Social care practitioners giving direct care: care packages and queries about the people they support.",
      grants: { contacts: "read", purchase_orders: "read", queries: "edit" },
    },
    {
      key: "connecting_care_viewer",
      name: "Connecting Care viewer",
      audience: "provider",
      description: "Views summary information for direct care; changes nothing.",
      grants: { contacts: "read", purchase_orders: "read" },
    },
    {
      key: "administrative",
      name: "Administrative",
      audience: "provider",
      description: "Administrative staff supporting direct care: contact details only.",
      grants: { contacts: "read" },
    },
    {
      key: "back_office_officer",
      name: "Back office officer",
      audience: "operator",
      description: "Checks that a request comes from a validated authoriser and actions it within the service level.",
      grants: { requests: "edit", organisations: "edit", audit: "read", outbox: "read", feeds: "edit", jobs: "read" },
    },
    {
      key: "back_office_manager",
      name: "Back office manager",
      audience: "operator",
      description: "Everything a back office officer does, plus licence allocations, staff accounts, jobs and escalations.",
      grants: { requests: "edit", organisations: "edit", audit: "read", outbox: "edit", feeds: "edit", jobs: "edit", staff: "edit" },
    },
    {
      key: "ig_auditor",
      name: "Information governance auditor",
      audience: "operator",
      description: "Reads and exports the audit log to investigate inappropriate use.",
      grants: { audit: "read", requests: "read", organisations: "read" },
    },
  ],
  leadRoleKey: "authoriser",
  jobTitleRoles: [
    { jobTitle: "Registered Manager", roleKey: "authoriser" },
    { jobTitle: "Information Governance Lead", roleKey: "authoriser" },
    { jobTitle: "General Practitioner", roleKey: "clinical" },
    { jobTitle: "Nurse", roleKey: "clinical" },
    { jobTitle: "Pharmacist", roleKey: "clinical" },
    { jobTitle: "Paramedic", roleKey: "clinical" },
    { jobTitle: "Social Worker", roleKey: "social_care" },
    { jobTitle: "Approved Mental Health Professional", roleKey: "social_care" },
    { jobTitle: "Care Coordinator", roleKey: "connecting_care_viewer" },
    { jobTitle: "Senior Carer", roleKey: "connecting_care_viewer" },
    { jobTitle: "Receptionist", roleKey: "administrative" },
    { jobTitle: "Medical Secretary", roleKey: "administrative" },
  ],
};
