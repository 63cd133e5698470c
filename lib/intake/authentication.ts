/**
 * Sender authentication as the operator's own mail server recorded it (RFC 8601
 * Authentication-Results). Only the topmost Authentication-Results header is read, and only when
 * its authserv-id is the one configured (IMAP_AUTHSERV_ID): the receiving server prepends its
 * header above everything the sender wrote, so a header further down — or one naming another
 * server — may be the sender's own forgery and is never believed. Without a configured
 * authserv-id nobody is authenticated.
 */

export type AuthResult = "pass" | "fail" | "softfail" | "neutral" | "none" | "temperror" | "permerror" | "policy" | "other";

export interface MethodResult {
  result: AuthResult;
  /** The domain the method vouched for: smtp.mailfrom (SPF), header.d (DKIM), header.from (DMARC). */
  domain: string | null;
  /** Whether that domain aligns with the From address's domain (relaxed, as DMARC). */
  aligned: boolean;
}

export interface SenderAuthentication {
  /** Whether the From address is vouched for: DMARC pass, or an aligned DKIM or SPF pass, and no DMARC fail. */
  verified: boolean;
  /** Whose header was read (null when none could be trusted). */
  authservId: string | null;
  spf: MethodResult | null;
  dkim: MethodResult | null;
  dmarc: MethodResult | null;
  /** Why, in words staff can read. */
  reason: string;
}

const results: readonly AuthResult[] = ["pass", "fail", "softfail", "neutral", "none", "temperror", "permerror", "policy"];

/** Removes RFC 5322 comments "(…)" (one level of nesting is enough for real headers). */
function stripComments(value: string): string {
  return value.replace(/\((?:[^()]|\([^()]*\))*\)/g, " ");
}

export interface ParsedAuthenticationResults {
  authservId: string;
  methods: { method: string; result: AuthResult; properties: Record<string, string> }[];
}

/** Parses one Authentication-Results header value; null when it cannot be read. */
export function parseAuthenticationResults(value: string): ParsedAuthenticationResults | null {
  const clean = stripComments(value.replace(/\r?\n[ \t]+/g, " ")).trim();
  const [head, ...parts] = clean.split(";");
  const authservId = head?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!authservId) return null;
  const methods: ParsedAuthenticationResults["methods"] = [];
  for (const part of parts) {
    const match = /^\s*([a-z][a-z0-9_-]*)(?:\/\d+)?\s*=\s*([a-z]+)/i.exec(part);
    if (!match) continue;
    const raw = match[2]!.toLowerCase();
    const properties: Record<string, string> = {};
    for (const prop of part.slice(match[0].length).matchAll(/([a-z]+\.[a-z0-9_-]+)\s*=\s*"?([^\s";]+)"?/gi)) {
      properties[prop[1]!.toLowerCase()] = prop[2]!.toLowerCase();
    }
    methods.push({ method: match[1]!.toLowerCase(), result: (results as readonly string[]).includes(raw) ? (raw as AuthResult) : "other", properties });
  }
  return { authservId, methods };
}

/** Relaxed alignment: the same domain, or one a subdomain of the other. */
export function domainsAlign(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = a.toLowerCase().replace(/\.$/, "");
  const y = b.toLowerCase().replace(/\.$/, "");
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

function domainOf(value: string | undefined): string | null {
  if (!value) return null;
  const at = value.lastIndexOf("@");
  return (at >= 0 ? value.slice(at + 1) : value).toLowerCase() || null;
}

function pick(parsed: ParsedAuthenticationResults, method: string, property: string, fromDomain: string | null): MethodResult | null {
  const all = parsed.methods.filter((m) => m.method === method);
  if (all.length === 0) return null;
  // Several DKIM signatures: an aligned pass wins, then any pass, then the first.
  const withDomain = all.map((m) => {
    const domain = domainOf(m.properties[property] ?? (method === "dkim" ? m.properties["header.i"] : undefined));
    return { result: m.result, domain, aligned: domainsAlign(domain, fromDomain) };
  });
  return withDomain.find((m) => m.result === "pass" && m.aligned) ?? withDomain.find((m) => m.result === "pass") ?? withDomain[0]!;
}

/**
 * The verdict on a message's sender from its Authentication-Results headers, in the order they
 * appear in the message (topmost first).
 */
export function senderAuthentication(headers: readonly string[], options: { authservId: string | null | undefined; fromAddress: string | null }): SenderAuthentication {
  const none = (reason: string): SenderAuthentication => ({ verified: false, authservId: null, spf: null, dkim: null, dmarc: null, reason });
  const expected = options.authservId?.trim().toLowerCase();
  if (!expected) return none("No trusted mail server is configured (IMAP_AUTHSERV_ID), so no sender is treated as authenticated.");
  const top = headers[0];
  if (top === undefined) return none("The message carries no sender authentication results.");
  const parsed = parseAuthenticationResults(top);
  if (!parsed || parsed.authservId !== expected) {
    return none(`The topmost authentication results were not recorded by ${expected}, so they are not trusted.`);
  }
  const fromDomain = domainOf(options.fromAddress ?? undefined);
  const spf = pick(parsed, "spf", "smtp.mailfrom", fromDomain);
  const dkim = pick(parsed, "dkim", "header.d", fromDomain);
  const dmarc = pick(parsed, "dmarc", "header.from", fromDomain);
  const base = { authservId: parsed.authservId, spf, dkim, dmarc };
  if (dmarc && dmarc.result === "fail") return { ...base, verified: false, reason: `DMARC failed for ${dmarc.domain ?? fromDomain ?? "the sender's domain"}.` };
  if (dmarc?.result === "pass" && (dmarc.aligned || !dmarc.domain)) return { ...base, verified: true, reason: `DMARC passed for ${fromDomain}.` };
  if (dkim?.result === "pass" && dkim.aligned) return { ...base, verified: true, reason: `DKIM passed for ${dkim.domain}, aligned with the From address.` };
  if (spf?.result === "pass" && spf.aligned) return { ...base, verified: true, reason: `SPF passed for ${spf.domain}, aligned with the From address.` };
  const seen = [spf && `SPF ${spf.result}`, dkim && `DKIM ${dkim.result}`, dmarc && `DMARC ${dmarc.result}`].filter(Boolean).join(", ");
  return { ...base, verified: false, reason: `No authentication aligned with ${fromDomain ?? "the From address"} passed (${seen || "no results"}).` };
}
