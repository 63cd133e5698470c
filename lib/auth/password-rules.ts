import { dictionary } from "@zxcvbn-ts/language-common";

/** ~49,000 common and breached passwords, bundled (no network look-up). */
const common = new Set(dictionary.passwords.map((p) => p.toLowerCase()));

/**
 * NCSC/NIST-style rules: long enough, not known to be common or breached, not the user's own
 * name or email; no composition rules. Returns the problem as a sentence, or null when fine.
 */
export function passwordProblem(password: string, options: { minimumLength: number; email?: string; fullName?: string }): string | null {
  // Characters are Unicode code points (NIST SP 800-63B), not UTF-16 units: an emoji counts once.
  const length = [...password].length;
  if (length < options.minimumLength) return `Password must be at least ${options.minimumLength} characters`;
  if (length > 256) return "Password must be 256 characters or fewer";
  const lower = password.toLowerCase();
  if (common.has(lower) || common.has(lower.replace(/[\d!?.]+$/, ""))) {
    return "Password is too common: it appears in lists of passwords that attackers try first. Choose another";
  }
  if (/^(.)\1+$/u.test(password)) return "Password must not be one character repeated";
  const email = options.email?.toLowerCase();
  if (email && (lower.includes(email) || lower === email.split("@")[0])) return "Password must not contain your email address";
  const name = options.fullName?.toLowerCase().replace(/\s+/g, "");
  if (name && name.length >= 4 && lower.replace(/\s+/g, "") === name) return "Password must not be your name";
  return null;
}
