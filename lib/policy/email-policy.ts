import { z } from "zod";
import type { PortalConfig } from "../config/schema";

/**
 * Whether an address may be an account's email (UAP-2.2, UCP-EMAIL-1): it must belong to one
 * named individual, so generic mailboxes and personal webmail are refused; accepted domains
 * pass outright; any other domain needs the requester's attestation (or is refused, as the
 * deployment chooses). Pure: every surface (portal, email listener, Slack, CLI) calls this.
 */
export type EmailPolicy = PortalConfig["email"];
export type EmailVerdict = "accepted" | "attestation_required" | "refused" | "invalid";
export interface EmailCheck {
  verdict: EmailVerdict;
  /** A sentence a Lead correspondent can act on. */
  reason: string;
  /** The address as it will be stored; absent when the address is invalid. */
  normalised?: string;
}

/** Trimmed and lower-cased: the form addresses are stored and compared in (unique, case-insensitive). */
export function normaliseEmail(address: string): string {
  return address.trim().toLowerCase();
}

// The same syntax the configuration and account schemas accept, so a "valid" verdict here is
// never refused later by a zod schema.
const emailSyntax = z.email();
const SEPARATORS = /[.\-_]+/;

export function checkEmail(address: string, policy: EmailPolicy): EmailCheck {
  const normalised = normaliseEmail(typeof address === "string" ? address : "");
  if (normalised === "") return { verdict: "invalid", reason: "No email address was given. Enter the work email address of the person the account is for." };
  if (normalised.length > 254 || !emailSyntax.safeParse(normalised).success) {
    return {
      verdict: "invalid",
      reason: `"${printable(normalised)}" is not a valid email address. Check it for typing mistakes: it needs one @ followed by a domain such as example.org, and no spaces.`,
    };
  }
  const at = normalised.lastIndexOf("@");
  const local = normalised.slice(0, at);
  const domain = normalised.slice(at + 1);
  if (local.length > 64) {
    return { verdict: "invalid", reason: `"${printable(normalised)}" is not a valid email address: the part before the @ is longer than 64 characters.` };
  }

  // Webmail first: a generic name at a webmail domain is best answered by asking for a work address.
  const webmail = policy.personalWebmailDomains.find((d) => isWithinDomain(domain, d));
  if (webmail) {
    return {
      verdict: "refused",
      normalised,
      reason: `${webmail} is a personal email service, so ${normalised} cannot be used. Give the person's work email address from their organisation instead.`,
    };
  }

  const generic = genericName(local, policy.genericMailboxNames);
  if (generic) {
    return {
      verdict: "refused",
      normalised,
      reason: `"${generic}" is a shared or generic mailbox name, so ${normalised} cannot be used. Each account needs the work email address of the one person who will use it (for example firstname.lastname@${domain}), not a team, role or office mailbox.`,
    };
  }

  const accepted = policy.acceptedDomains.find((d) => isWithinDomain(domain, d));
  if (accepted) {
    return { verdict: "accepted", normalised, reason: `${domain} is an accepted email domain (${accepted}), so ${normalised} can be used.` };
  }

  const list = policy.acceptedDomains.length ? ` (${policy.acceptedDomains.join(", ")})` : "";
  if (policy.otherDomains === "refuse") {
    return {
      verdict: "refused",
      normalised,
      reason: `${domain} is not one of the accepted email domains${list}, so ${normalised} cannot be used. Give the person's address at an accepted domain.`,
    };
  }
  return {
    verdict: "attestation_required",
    normalised,
    reason: `${domain} is not one of the accepted email domains${list}. You can still use ${normalised} if you confirm that it is used only by this person and is suitable for receiving information about the direct care of the people your organisation supports.`,
  };
}

/**
 * The generic name a local part stands for, or null. Sub-addressing (`info+portal`) is cut off
 * first, since the mailbox is what is before the "+". Then the local part is generic when it
 * is a configured name, or when split on . - _ every part is a configured name or a number and
 * at least one is a name ("admin.team", "team-office", "info1", "office.2"). A part matches
 * with trailing digits removed ("info1"). Real names that merely contain a generic word
 * ("christine", "adam", "jo.office" is a person at an office) are not matched: every part
 * must be generic.
 */
function genericName(local: string, configured: readonly string[]): string | null {
  const names = new Set(configured.map((name) => canonical(name.trim().toLowerCase())));
  const mailbox = local.split("+")[0] ?? local;
  const whole = canonical(mailbox);
  if (names.has(whole)) return mailbox;
  if (names.has(withoutTrailingDigits(whole))) return withoutTrailingDigits(mailbox);
  const parts = mailbox.split(SEPARATORS).filter(Boolean);
  if (parts.length === 0) return null;
  let named: string | null = null;
  for (const part of parts) {
    if (/^\d+$/.test(part)) continue;
    const base = withoutTrailingDigits(part);
    if (!names.has(base)) return null;
    named ??= base;
  }
  return named;
}

/** Separators written differently name the same mailbox: "no_reply", "no.reply", "no-reply". */
function canonical(name: string): string {
  return name.replace(/[.\-_]+/g, "-");
}

function withoutTrailingDigits(value: string): string {
  const stripped = value.replace(/\d+$/, "");
  return stripped === "" ? value : stripped;
}

/** True when `domain` is `parent` or a subdomain of it, comparing whole labels only. */
export function isWithinDomain(domain: string, parent: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, "");
  const p = parent.toLowerCase().replace(/\.$/, "");
  return d === p || d.endsWith(`.${p}`);
}

/** Keeps an echoed address short and free of control characters in messages. */
function printable(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
}
