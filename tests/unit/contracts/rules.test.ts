import { describe, expect, it } from "vitest";
import { contractReference, looksLikePdf, sha256Hex, typedNameMatches } from "@/lib/contracts/rules";

describe("contract rules (AUP-2.1c)", () => {
  it("AUP-2.1c the typed name matches the account's name whatever the case, accents or spacing", () => {
    expect(typedNameMatches("  priya   SHAH ", "Priya Shah")).toBe(true);
    expect(typedNameMatches("Zoë O'Neill", "Zoe O Neill")).toBe(true);
  });
  it("AUP-2.1c another name, a part of the name or nothing does not match", () => {
    for (const typed of ["Tom Baker", "Priya", "Shah Priya", "", "   "]) expect(typedNameMatches(typed, "Priya Shah"), typed).toBe(false);
  });
  it("recognises a PDF by its header and refuses anything else", () => {
    expect(looksLikePdf(Buffer.from("%PDF-1.7\n…"))).toBe(true);
    expect(looksLikePdf(Buffer.from("PK\u0003\u0004 a zip"))).toBe(false);
    expect(looksLikePdf(Buffer.alloc(0))).toBe(false);
  });
  it("references and hashes", () => {
    expect(contractReference(7)).toBe("CON-000007");
    expect(sha256Hex(Buffer.from("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
