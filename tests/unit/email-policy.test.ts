import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../lib/config";
import { councilProfile } from "../../lib/config/profiles/council";
import { universalCarePlanProfile } from "../../lib/config/profiles/universal-care-plan";
import { checkEmail, isWithinDomain, normaliseEmail, type EmailPolicy } from "../../lib/policy/email-policy";

const council = validateConfig(councilProfile).email;
const ucp = validateConfig(universalCarePlanProfile).email;
const refuseOthers: EmailPolicy = { ...ucp, otherDomains: "refuse" };

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domainArb = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("org", "com", "uk", "net")).map(([labels, tld]) => `${labels.join(".")}.${tld}`);
const personArb = fc.stringMatching(/^[a-z]{2,12}\.[a-z]{2,12}$/);

describe("normaliseEmail", () => {
  it("trims and lower-cases", () => {
    expect(normaliseEmail("  Jane.Smith@Care.Example.ORG \n")).toBe("jane.smith@care.example.org");
  });

  it("is idempotent", () => {
    fc.assert(fc.property(fc.string(), (s) => normaliseEmail(normaliseEmail(s)) === normaliseEmail(s)));
  });
});

describe("checkEmail: invalid addresses", () => {
  it.each([
    [""],
    ["   "],
    ["jane.smith"],
    ["jane.smith@"],
    ["@care.example.org"],
    ["jane smith@care.example.org"],
    ["jane..smith@care.example.org"],
    ["jane@@care.example.org"],
    ["jane@care"],
    ["jane@care.example.org."],
    [`${"a".repeat(65)}@care.example.org`],
  ])("%j is invalid, with a reason and no normalised form", (address) => {
    const result = checkEmail(address, council);
    expect(result.verdict).toBe("invalid");
    expect(result.normalised).toBeUndefined();
    expect(result.reason).toMatch(/\.$/);
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        const result = checkEmail(s, council);
        expect(["accepted", "attestation_required", "refused", "invalid"]).toContain(result.verdict);
        expect(result.reason.length).toBeGreaterThan(10);
      }),
    );
  });

  it("never throws on things shaped like addresses", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string({ maxLength: 5 }), (address, noise) => {
        expect(() => checkEmail(noise + address.toUpperCase() + noise, ucp)).not.toThrow();
      }),
    );
  });
});

describe("checkEmail: generic mailboxes", () => {
  it.each([
    "info@care.example.org",
    "Admin@care.example.org",
    " Info@Care.Example.org ",
    "office@sunrisecare.example.com",
    "team@care.example.org",
    "enquiries@care.example.org",
    "reception@care.example.org",
  ])("UAP-2.2 refuses a generic mailbox such as %s", (address) => {
    const result = checkEmail(address, council);
    expect(result.verdict).toBe("refused");
    expect(result.reason).toMatch(/shared or generic mailbox/);
    expect(result.reason).toMatch(/one person/);
  });

  it.each([
    ["info1@care.example.org", "info"],
    ["admin.team@care.example.org", "admin"],
    ["team-office@care.example.org", "team"],
    ["office_2@care.example.org", "office"],
    ["reception.01@care.example.org", "reception"],
    ["no_reply@care.example.org", "no_reply"],
    ["no.reply@care.example.org", "no.reply"],
    ["info+portal@care.example.org", "info"],
    ["care.team@care.example.org", "care"],
  ])("UAP-2.2 refuses %s, a generic name with separators or digits", (address, name) => {
    const result = checkEmail(address, council);
    expect(result.verdict).toBe("refused");
    expect(result.reason).toContain(`"${name}"`);
  });

  it("UAP-2.2 refuses a generic mailbox even at an accepted domain", () => {
    expect(checkEmail("admin@trust.nhs.uk", ucp).verdict).toBe("refused");
  });

  it.each([
    "christine@care.example.org",
    "adam@care.example.org",
    "jo.office@care.example.org",
    "information.officer.smith@care.example.org",
    "carers.lead.jones@care.example.org",
    "mailey@care.example.org",
    "teamworth@care.example.org",
    "jane+info@care.example.org",
  ])("UAP-2.2 does not refuse a person's address such as %s", (address) => {
    expect(checkEmail(address, council).verdict).toBe("attestation_required");
  });

  it("UAP-2.2 refuses any address whose local part is a configured generic name, with any digits or case", () => {
    fc.assert(
      fc.property(fc.constantFrom(...council.genericMailboxNames), fc.option(fc.nat(99)), domainArb, fc.boolean(), (name, digits, domain, upper) => {
        const local = `${name}${digits ?? ""}`;
        const address = `${upper ? local.toUpperCase() : local}@${domain}`;
        expect(checkEmail(address, council).verdict).toBe("refused");
      }),
    );
  });

  it("UAP-2.2 refuses a local part made only of generic names joined by separators", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...council.genericMailboxNames.filter((n) => !n.includes("-"))), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(".", "-", "_"),
        domainArb,
        (names, sep, domain) => {
          expect(checkEmail(`${names.join(sep)}@${domain}`, council).verdict).toBe("refused");
        },
      ),
    );
  });

  it("UAP-2.2 passes firstname.lastname addresses past the generic check", () => {
    const generic = new Set(council.genericMailboxNames);
    fc.assert(
      fc.property(personArb, (local) => {
        fc.pre(local.split(".").some((part) => !generic.has(part)));
        expect(checkEmail(`${local}@care.example.org`, council).verdict).toBe("attestation_required");
      }),
    );
  });
});

describe("checkEmail: domains", () => {
  it.each(["jane.smith@gmail.com", "jane.smith@hotmail.co.uk", "Jane@Yahoo.co.uk", "jane@uk.yahoo.com"])("UCP-EMAIL-1 refuses the personal webmail address %s", (address) => {
    const result = checkEmail(address, ucp);
    expect(result.verdict).toBe("refused");
    expect(result.reason).toMatch(/personal email service/);
    expect(result.reason).toMatch(/work email address/);
  });

  it.each(["jane.smith@nhs.net", "jane.smith@nhs.uk", "jane.smith@trust.nhs.uk", "jane.smith@borough.gov.uk", "Jane.Smith@NHS.NET"])(
    "UCP-EMAIL-1 accepts %s at an accepted domain, matched on whole labels",
    (address) => {
      const result = checkEmail(address, ucp);
      expect(result.verdict).toBe("accepted");
      expect(result.normalised).toBe(address.toLowerCase());
    },
  );

  it.each(["jane.smith@nhs.net.example.com", "jane.smith@fakenhs.net", "jane.smith@nhs.network", "jane.smith@gov.uk.example.org", "jane.smith@notgov.uk"])(
    "UCP-EMAIL-1 does not accept %s, which only looks like an accepted domain",
    (address) => {
      expect(checkEmail(address, ucp).verdict).toBe("attestation_required");
    },
  );

  it("UCP-EMAIL-1 asks for attestation for any other domain, saying what to confirm", () => {
    const result = checkEmail("jane.smith@sunrisecare.example.com", ucp);
    expect(result).toMatchObject({ verdict: "attestation_required", normalised: "jane.smith@sunrisecare.example.com" });
    expect(result.reason).toContain("sunrisecare.example.com is not one of the accepted email domains (nhs.net, nhs.uk, gov.uk)");
    expect(result.reason).toMatch(/confirm/);
    expect(result.reason).toMatch(/direct care/);
  });

  it("UCP-EMAIL-1 refuses other domains when the deployment allows no attestation", () => {
    const result = checkEmail("jane.smith@sunrisecare.example.com", refuseOthers);
    expect(result.verdict).toBe("refused");
    expect(result.reason).toMatch(/accepted email domains/);
  });

  it("UCP-EMAIL-1 accepts any subdomain of an accepted domain and no lookalike of it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ucp.acceptedDomains), fc.array(label, { minLength: 1, maxLength: 3 }), label, (accepted, subs, prefix) => {
        expect(checkEmail(`jane.smith@${subs.join(".")}.${accepted}`, ucp).verdict).toBe("accepted");
        expect(checkEmail(`jane.smith@${prefix}${accepted}`, ucp).verdict).not.toBe("accepted");
        expect(checkEmail(`jane.smith@${accepted}.${prefix}.com`, ucp).verdict).not.toBe("accepted");
      }),
    );
  });

  it("isWithinDomain compares whole labels", () => {
    expect(isWithinDomain("nhs.net", "nhs.net")).toBe(true);
    expect(isWithinDomain("a.b.nhs.net", "nhs.net")).toBe(true);
    expect(isWithinDomain("fakenhs.net", "nhs.net")).toBe(false);
    expect(isWithinDomain("nhs.net.example.com", "nhs.net")).toBe(false);
  });
});
