import type { PortalConfig } from "../config";
import type { organisationTypes } from "../db/schema/organisations";

/** Shown by the start-up banner and the README: every demo account signs in with these. */
export const DEMO_PASSWORD = "meadow-lantern-harbour";
export const DEMO_SECURITY_NUMBER = "284915";

export interface DemoAccount {
  fullName: string;
  email: string;
  jobTitle: string;
  roles: string[];
  status: "pending" | "active" | "suspended";
  lastSignInDaysAgo?: number;
  activatedDaysAgo?: number;
  suspendedDaysAgo?: number;
  suspensionReason?: string;
  endInDays?: number;
  trainedDaysAgo?: number;
  registration?: { body: string; number: string };
}

export interface DemoOrganisation {
  odsCode: string;
  name: string;
  kind: "operator" | "provider";
  type: (typeof organisationTypes)[number];
  status: "onboarding" | "active" | "closing" | "closed";
  address: string;
  eligibility: Record<string, unknown>;
  licences?: number;
  accounts: DemoAccount[];
}

/** The demo: example.org domains only; no real organisation or person. */
export function demoOrganisations(config: PortalConfig): DemoOrganisation[] {
  const operatorDomain = config.operator.mailbox.split("@")[1] ?? "council.example.org";
  return [
    {
      odsCode: "XC001",
      name: config.operator.name,
      kind: "operator",
      type: "local_authority",
      status: "active",
      address: config.operator.dataProtection.postalAddress,
      eligibility: {},
      accounts: [
        { fullName: "Alex Morgan", email: `alex.morgan@${operatorDomain}`, jobTitle: "Brokerage Team Lead", roles: ["team_lead"], status: "active", lastSignInDaysAgo: 1, trainedDaysAgo: 60 },
        { fullName: "Sam Patel", email: `sam.patel@${operatorDomain}`, jobTitle: "Brokerage Officer", roles: ["brokerage_officer"], status: "active", lastSignInDaysAgo: 2, trainedDaysAgo: 120 },
        { fullName: "Chris Evans", email: `chris.evans@${operatorDomain}`, jobTitle: "Information Governance Officer", roles: ["auditor"], status: "active", lastSignInDaysAgo: 9, trainedDaysAgo: 30 },
      ],
    },
    {
      odsCode: "AB1C2",
      name: "Meadowbank Care Ltd",
      kind: "provider",
      type: "domiciliary_care",
      status: "active",
      address: "1 Meadow Lane, Exampletown, EX2 2BB",
      eligibility: { dpiaListed: true, dsptStatus: "Standards Met", dsptDate: "2026-06-30", inRegion: true },
      licences: 25,
      accounts: [
        { fullName: "Priya Shah", email: "priya.shah@meadowbank-care.example.org", jobTitle: "Registered Manager", roles: ["lead_correspondent"], status: "active", lastSignInDaysAgo: 3, trainedDaysAgo: 100 },
        { fullName: "Tom Baker", email: "tom.baker@meadowbank-care.example.org", jobTitle: "Finance Officer", roles: ["finance"], status: "active", lastSignInDaysAgo: 12, trainedDaysAgo: 200 },
        { fullName: "Amina Okafor", email: "amina.okafor@meadowbank-care.example.org", jobTitle: "Care Coordinator", roles: ["care_coordinator"], status: "active", lastSignInDaysAgo: 52, trainedDaysAgo: 400 },
        { fullName: "Kate Ellis", email: "kate.ellis@meadowbank-care.example.org", jobTitle: "Scheduler", roles: ["care_coordinator"], status: "active", lastSignInDaysAgo: 5, endInDays: 5, trainedDaysAgo: 20 },
        { fullName: "Lee Jones", email: "lee.jones@meadowbank-care.example.org", jobTitle: "Administrator", roles: ["read_only"], status: "suspended", lastSignInDaysAgo: 75, suspendedDaysAgo: 15, suspensionReason: "No sign-in for 60 days" },
        { fullName: "Dan Wright", email: "dan.wright@meadowbank-care.example.org", jobTitle: "Care Coordinator", roles: ["care_coordinator"], status: "pending" },
      ],
    },
    {
      odsCode: "RV4D5",
      name: "Riverside Home Care",
      kind: "provider",
      type: "care_home",
      status: "onboarding",
      address: "22 River Street, Exampletown, EX3 3CC",
      eligibility: { dpiaListed: true },
      licences: 10,
      accounts: [],
    },
    {
      odsCode: "HT6E7",
      name: "Hilltop House",
      kind: "provider",
      type: "care_home",
      status: "closed",
      address: "Hilltop Road, Exampletown, EX4 4DD",
      eligibility: { dpiaListed: true, dsptStatus: "Standards Met", dsptDate: "2025-06-30", inRegion: true },
      licences: 5,
      accounts: [
        { fullName: "Morgan Price", email: "morgan.price@hilltop-house.example.org", jobTitle: "Registered Manager", roles: ["lead_correspondent"], status: "suspended", lastSignInDaysAgo: 40, suspendedDaysAgo: 30, suspensionReason: "Provider closed" },
      ],
    },
  ];
}
