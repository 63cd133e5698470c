import type { PortalConfigInput } from "../schema";

/**
 * An example profile modelled on a care-planning programme's organisation and user onboarding
 * SOP (the UCP clauses): a helpdesk working Monday–Friday 09:00–17:00 except bank holidays,
 * accepted email domains with attestation for others, an extra emailed code off the trusted
 * network, the programme's four roles and its job-title appendix. Every name and mailbox is
 * an example; a deployment sets its own.
 */
export const universalCarePlanProfile: PortalConfigInput = {
  profile: "universal-care-plan",
  operator: {
    name: "Example Care Planning Programme",
    shortName: "Care Plan Portal",
    teamName: "Care plan helpdesk",
    mailbox: "careplan.helpdesk@careplan.example.org",
    telephone: "020 7946 0000",
    dataProtection: {
      officer: "Data Protection Officer",
      email: "dpo@careplan.example.org",
      postalAddress: "Information Governance, Example Care Planning Programme, 2 Example Square, Exampleton, EX3 3CC",
    },
    // UCP-ORG-3: organisations outside this region need the regional lead's approval.
    region: "Example City",
  },
  policies: [
    {
      key: "acceptable-use",
      title: "Acceptable use of the care plan web portal",
      version: "1.0",
      effectiveDate: "2026-04-01",
      reviewDate: "2027-04-01",
      summary: "Use the portal only for the direct care of the people your organisation cares for.",
      mustAccept: true,
    },
    {
      key: "onboarding-sop",
      title: "Organisation and user onboarding: standard operating procedure",
      version: "1.0",
      effectiveDate: "2026-04-01",
      reviewDate: "2027-04-01",
      summary: "Which organisations and users may be onboarded, accepted email domains, and the roles.",
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
    inactivityDays: 90,
    inactivityWarningDays: 14,
    endDateWarningDays: 7,
    igTrainingValidityMonths: 12,
    reviewIntervalMonths: 3,
    reviewReminderDays: [14, 7],
    endedPackageVisibleDays: 90,
  },
  requests: {
    // The SOP sets no turnaround; five working days matches the other profiles.
    slaWorkingDays: 5,
    // UCP-HD-1: the helpdesk works Monday to Friday, 9am to 5pm, except public and bank holidays.
    serviceHours: { timeZone: "Europe/London", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
    bankHolidayDivision: "england-and-wales",
    refusedPurposeTerms: ["research", "secondary use", "secondary purpose", "marketing", "commercial"],
    relatedSystems: [],
  },
  email: {
    // UCP-EMAIL-1: accepted outright; the accredited-domain register is added per deployment.
    acceptedDomains: ["nhs.net", "nhs.uk", "gov.uk"],
    otherDomains: "attestation",
    genericMailboxNames: [
      "info", "admin", "office", "team", "enquiries", "enquiry", "reception", "contact", "hello", "mail",
      "manager", "management", "accounts", "finance", "care", "careteam", "support", "help", "helpdesk",
      "general", "staff", "hr", "referrals", "duty", "noreply", "no-reply", "postmaster", "webmaster",
    ],
    personalWebmailDomains: [
      "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com", "live.co.uk",
      "msn.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "aol.com", "aol.co.uk", "icloud.com", "me.com",
      "mac.com", "btinternet.com", "sky.com", "talktalk.net", "virginmedia.com", "protonmail.com", "proton.me",
      "gmx.com", "gmx.co.uk", "mail.com", "zoho.com",
    ],
  },
  // UCP-NET-1: stands in for the health and social care network's ranges, which a deployment sets.
  network: { trustedNetworks: ["10.0.0.0/8", "127.0.0.0/8", "::1/128"], clientAddressFrom: "socket" },
  // The SOP allocates no licences; a generous allocation keeps the licence rule (CC-2a) out of the way.
  licences: { defaultAllocation: 1000, alertThresholdPercent: 90 },
  signIn: {
    securityDigitsAsked: 3,
    challengeMinutes: 5,
    emailCodeMinutes: 10,
    setupLinkHours: 72,
    lockoutAfterFailures: 5,
    lockoutMinutes: 15,
    minimumPasswordLength: 12,
  },
  sessions: { idleMinutes: 20, absoluteHours: 10 },
  // UCP-RBAC-1: the programme's four roles and no others. Care plan sections map onto the
  // provider kinds: contracts (packages of care) stand for the clinical sections; contacts
  // and queries for the non-clinical ones (demographics, preferences, correspondence).
  // Purchase orders are view-only for everyone (AUP-2.1b).
  securityRoles: [
    {
      key: "clinical",
      name: "Clinical",
      audience: "provider",
      // Full rights over care information; payments are the manager's business, not care (least privilege).
      description: "Full read and edit rights. Needs a registration with a professional body.",
      grants: { contacts: "edit", purchase_orders: "read", contracts: "edit", queries: "edit" },
      clinical: true,
    },
    {
      // The organisation's manager (a practice or care manager, non-clinical in the appendix)
      // requests users, so this role is the authoriser: the first account of an organisation
      // then needs no professional registration.
      key: "non_clinical",
      name: "Non-clinical",
      audience: "provider",
      description:
        "Can see everything and submit only non-clinical sections, such as demographic information and preferences. The organisation's manager, holding this role, requests users.",
      grants: { contacts: "edit", queries: "edit", users: "edit", purchase_orders: "read", contracts: "read", payments: "read" },
      authoriser: true,
    },
    {
      key: "urgent_care",
      name: "Urgent care",
      audience: "provider",
      description: "View-only rights.",
      grants: { contacts: "read", purchase_orders: "read", contracts: "read", queries: "read" },
    },
    {
      key: "system_administrator",
      name: "System administrator",
      audience: "operator",
      description: "Programme staff only: user and organisation registration, and care plan management.",
      grants: { requests: "edit", organisations: "edit", staff: "edit", audit: "read", outbox: "edit", jobs: "edit", feeds: "edit" },
    },
  ],
  leadRoleKey: "non_clinical",
  // UCP-RBAC-2: every row of the SOP's Appendix 1 ("Clinician" there is the Clinical role).
  jobTitleRoles: [
    { jobTitle: "111 Clinician", roleKey: "urgent_care" },
    { jobTitle: "111 Supervisor", roleKey: "urgent_care" },
    { jobTitle: "A&E Liaison Officer", roleKey: "non_clinical" },
    { jobTitle: "Access Co-ordinator", roleKey: "non_clinical" },
    { jobTitle: "Approved Social Worker", roleKey: "non_clinical" },
    { jobTitle: "Assistant Care Manager", roleKey: "non_clinical" },
    { jobTitle: "Assistant Team Manager", roleKey: "non_clinical" },
    { jobTitle: "Behavioural Specialist", roleKey: "non_clinical" },
    { jobTitle: "Care Manager", roleKey: "non_clinical" },
    { jobTitle: "Nurse", roleKey: "clinical" },
    { jobTitle: "Clinical Administrator", roleKey: "non_clinical" },
    { jobTitle: "Clinical Lead", roleKey: "clinical" },
    { jobTitle: "Clinical Nurse Specialist", roleKey: "clinical" },
    { jobTitle: "Community Nurse", roleKey: "clinical" },
    { jobTitle: "Community Paediatrician", roleKey: "clinical" },
    { jobTitle: "Community Psychiatric Nurse", roleKey: "clinical" },
    { jobTitle: "Community Support Worker", roleKey: "non_clinical" },
    { jobTitle: "Consultant Medical", roleKey: "clinical" },
    { jobTitle: "District Nurse", roleKey: "clinical" },
    { jobTitle: "Duty Social Worker", roleKey: "non_clinical" },
    { jobTitle: "Education Social Worker", roleKey: "non_clinical" },
    { jobTitle: "Family Worker", roleKey: "non_clinical" },
    { jobTitle: "General Practitioner", roleKey: "clinical" },
    { jobTitle: "Health Care Assistant", roleKey: "non_clinical" },
    { jobTitle: "Junior Doctor", roleKey: "clinical" },
    { jobTitle: "Occupational Therapist", roleKey: "clinical" },
    { jobTitle: "OOH GP", roleKey: "urgent_care" },
    { jobTitle: "Paramedic", roleKey: "urgent_care" },
    { jobTitle: "Practice Manager", roleKey: "non_clinical" },
    { jobTitle: "Registrar", roleKey: "clinical" },
    { jobTitle: "Reviewing Officer", roleKey: "non_clinical" },
    { jobTitle: "Senior Social Worker", roleKey: "non_clinical" },
    { jobTitle: "Social Worker", roleKey: "non_clinical" },
    { jobTitle: "Social Worker Supervisor", roleKey: "non_clinical" },
    { jobTitle: "Speech and Language Therapist", roleKey: "clinical" },
    { jobTitle: "Staff Nurse", roleKey: "clinical" },
    { jobTitle: "Trainee Social Worker", roleKey: "non_clinical" },
  ],
};
