import ipaddr from "ipaddr.js";
import { z } from "zod";

/** Kinds of information a provider security role may read or edit (AUP-5.1d). */
export const providerKinds = ["contacts", "purchase_orders", "contracts", "queries", "payments", "users"] as const;
/** Kinds of back-office information an operator staff role may read or edit. */
export const operatorKinds = ["requests", "organisations", "audit", "outbox", "jobs", "feeds", "staff"] as const;
export type ProviderKind = (typeof providerKinds)[number];
export type OperatorKind = (typeof operatorKinds)[number];
export type InformationKind = ProviderKind | OperatorKind;
export const accessLevels = ["read", "edit"] as const;
export type AccessLevel = (typeof accessLevels)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD");
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written HH:MM (24-hour)");
const email = z.string().trim().toLowerCase().pipe(z.email("must be an email address"));
/** A bare domain: lower-case labels separated by dots, no scheme, no @. */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a domain such as example.org");
const cidr = z.string().trim().refine(isCidr, "must be an address range such as 10.0.0.0/8 or 2001:db8::/32");

export const securityRoleSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, "must be lower-case letters, digits and _"),
    name: z.string().min(1),
    audience: z.enum(["provider", "operator"]),
    description: z.string().default(""),
    /** Which kinds of information the role reads or edits; nothing else is reachable. */
    grants: z.partialRecord(z.enum([...providerKinds, ...operatorKinds]), z.enum(accessLevels)),
    /** A clinical role needs a recorded professional registration (UCP-RBAC-3). */
    clinical: z.boolean().default(false),
    /** May request accounts, changes and suspensions for its organisation (AUP-6.3, CC-4). */
    authoriser: z.boolean().default(false),
  })
  .superRefine((role, ctx) => {
    const allowed: readonly string[] = role.audience === "provider" ? providerKinds : operatorKinds;
    for (const kind of Object.keys(role.grants)) {
      if (!allowed.includes(kind)) {
        ctx.addIssue({ code: "custom", path: ["grants", kind], message: `a ${role.audience} role cannot grant "${kind}"` });
      }
    }
  });
export type SecurityRole = z.infer<typeof securityRoleSchema>;

export const policyDocumentSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
    title: z.string().min(1),
    version: z.string().min(1),
    effectiveDate: isoDate,
    reviewDate: isoDate,
    summary: z.string().default(""),
    /** Users must accept this policy before using the portal (AUP-5.1a). */
    mustAccept: z.boolean().default(false),
  })
  .superRefine((policy, ctx) => {
    // UAP-6.1: policies are reviewed at least every twelve months.
    const effective = new Date(`${policy.effectiveDate}T00:00:00Z`);
    const latest = new Date(effective);
    latest.setUTCFullYear(latest.getUTCFullYear() + 1);
    const review = new Date(`${policy.reviewDate}T00:00:00Z`);
    if (review <= effective) ctx.addIssue({ code: "custom", path: ["reviewDate"], message: "must be after the effective date" });
    if (review > latest) ctx.addIssue({ code: "custom", path: ["reviewDate"], message: "must be at most 12 months after the effective date (UAP-6.1)" });
  });
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

export const portalConfigSchema = z
  .object({
    profile: z.string().min(1),
    operator: z.object({
      name: z.string().min(1),
      /** Short name shown in the header on small screens. */
      shortName: z.string().min(1).max(40),
      /** The operator's team, as users know it (e.g. "Integrated Brokerage"). */
      teamName: z.string().min(1),
      mailbox: email,
      telephone: z.string().default(""),
      dataProtection: z.object({ officer: z.string().min(1), email, postalAddress: z.string().default("") }),
      privacyNoticeUrl: z.url().optional(),
      /** The programme's region, for the out-of-region onboarding rule (UCP-ORG-3). */
      region: z.string().default(""),
    }),
    policies: z.array(policyDocumentSchema).min(1),
    accounts: z.object({
      inactivityDays: z.number().int().min(1).max(3650),
      inactivityWarningDays: z.number().int().min(0).max(365),
      endDateWarningDays: z.number().int().min(0).max(365),
      igTrainingValidityMonths: z.number().int().min(1).max(120),
      reviewIntervalMonths: z.number().int().min(1).max(12),
      reviewReminderDays: z.array(z.number().int().min(1).max(90)),
      /** Ended care packages stay visible to the provider for this many days (need to know). */
      endedPackageVisibleDays: z.number().int().min(0).max(3650),
    }),
    requests: z.object({
      slaWorkingDays: z.number().int().min(1).max(60),
      serviceHours: z.object({
        timeZone: z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/London"),
        /** ISO weekdays the service works: 1 = Monday … 7 = Sunday. */
        days: z.array(z.number().int().min(1).max(7)).min(1),
        start: clockTime,
        end: clockTime,
      }),
      bankHolidayDivision: z.enum(["england-and-wales", "scotland", "northern-ireland"]),
      /** Words in a stated purpose that mark it secondary use, refused (CC-2b). */
      refusedPurposeTerms: z.array(z.string().trim().toLowerCase().min(2)),
      /** Changes that must be mirrored elsewhere before a request closes (UAP-A.2b). */
      relatedSystems: z.array(z.object({ key: z.string().min(1), name: z.string().min(1), appliesTo: z.array(z.string()) })),
    }),
    email: z.object({
      /** Domains accepted outright, matched on whole labels (UCP-EMAIL-1). */
      acceptedDomains: z.array(domain),
      /** Other domains: refused, or accepted when the requester attests suitability. */
      otherDomains: z.enum(["attestation", "refuse"]),
      /** Local parts that name a role or team rather than a person (UAP-2.2). */
      genericMailboxNames: z.array(z.string().trim().toLowerCase().min(1)),
      /** Personal webmail domains, refused for accounts (UCP-EMAIL-1). */
      personalWebmailDomains: z.array(domain),
    }),
    network: z.object({
      /** Address ranges counted as trusted (e.g. HSCN); sign-in from elsewhere needs an emailed code (UCP-NET-1). */
      trustedNetworks: z.array(cidr),
      /** Which address identifies the client: the socket, or X-Forwarded-For behind a known proxy. */
      clientAddressFrom: z.enum(["socket", "x-forwarded-for"]),
    }),
    licences: z.object({
      defaultAllocation: z.number().int().min(0),
      alertThresholdPercent: z.number().int().min(1).max(100),
    }),
    signIn: z.object({
      securityDigitsAsked: z.number().int().min(2).max(4),
      challengeMinutes: z.number().int().min(1).max(30),
      emailCodeMinutes: z.number().int().min(1).max(60),
      setupLinkHours: z.number().int().min(1).max(336),
      lockoutAfterFailures: z.number().int().min(3).max(20),
      lockoutMinutes: z.number().int().min(1).max(1440),
      minimumPasswordLength: z.number().int().min(8).max(128),
    }),
    sessions: z.object({
      idleMinutes: z.number().int().min(1).max(240),
      absoluteHours: z.number().int().min(1).max(24),
    }),
    securityRoles: z.array(securityRoleSchema).min(1),
    /** The Lead correspondent's role: the first account of a provider holds it (UAP-A.2). */
    leadRoleKey: z.string(),
    /** Job title → suggested role (UCP-RBAC-2); matched ignoring case and spaces. */
    jobTitleRoles: z.array(z.object({ jobTitle: z.string().trim().min(1), roleKey: z.string() })),
    /** The audit log (UAP-4.4, lib/audit): where the daily chain checkpoint is emailed; unset keeps it in the outbox only. */
    audit: z.object({ checkpointEmail: email.optional() }).default({}),
    /**
     * Scheduled jobs (lib/jobs). Their run records (job_runs) older than runRetention.days are
     * deleted daily, except each job's latest keepLatestPerJob runs and its last successful and
     * last failed run, which the schedule and the Jobs page read.
     */
    jobs: z
      .object({
        runRetention: z
          .object({
            days: z.number().int().min(7).max(3650).default(90),
            keepLatestPerJob: z.number().int().min(1).max(10_000).default(50),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const keys = new Map<string, number>();
    config.securityRoles.forEach((role, i) => {
      if (keys.has(role.key)) ctx.addIssue({ code: "custom", path: ["securityRoles", i, "key"], message: `duplicate role key "${role.key}"` });
      keys.set(role.key, i);
    });
    const lead = config.securityRoles.find((r) => r.key === config.leadRoleKey);
    if (!lead) ctx.addIssue({ code: "custom", path: ["leadRoleKey"], message: `names no role in securityRoles ("${config.leadRoleKey}")` });
    else if (lead.audience !== "provider" || !lead.authoriser)
      ctx.addIssue({ code: "custom", path: ["leadRoleKey"], message: "must name a provider role that is an authoriser" });
    config.jobTitleRoles.forEach((entry, i) => {
      const role = config.securityRoles.find((r) => r.key === entry.roleKey);
      if (!role) ctx.addIssue({ code: "custom", path: ["jobTitleRoles", i, "roleKey"], message: `names no role in securityRoles ("${entry.roleKey}")` });
    });
    const { start, end } = config.requests.serviceHours;
    if (start >= end) ctx.addIssue({ code: "custom", path: ["requests", "serviceHours", "end"], message: "must be later than start" });
    if (!config.policies.some((p) => p.mustAccept))
      ctx.addIssue({ code: "custom", path: ["policies"], message: "one policy must be marked mustAccept (the Acceptable Use Policy, AUP-5.1a)" });
    if (config.accounts.inactivityWarningDays >= config.accounts.inactivityDays)
      ctx.addIssue({ code: "custom", path: ["accounts", "inactivityWarningDays"], message: "must be fewer than inactivityDays" });
  });

export type PortalConfig = z.infer<typeof portalConfigSchema>;
/** What a profile or a deployment file holds before validation. */
export type PortalConfigInput = z.input<typeof portalConfigSchema>;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** True when the text is an IPv4 or IPv6 address range in CIDR notation. */
export function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value.trim());
    return true;
  } catch {
    return false;
  }
}
