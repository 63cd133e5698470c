import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_SEALED_LENGTH, openSealedImport, sealImport, SEAL_LIFETIME_MS, type SealedImport } from "@/lib/imports/sealed-rows";

const key = randomBytes(32);
const now = new Date("2026-05-05T09:00:00Z");
const sealed: SealedImport = {
  accountId: "a1",
  organisationId: "o1",
  fileName: "staff.csv",
  format: "csv",
  rows: Array.from({ length: 1_000 }, (_, i) => ({ row: i + 2, values: { fullName: `Person ${i}`, email: `person.${i}@nhs.net`, jobTitle: "Care Coordinator", purpose: "Arranging home care visits for the people we support" } })),
  validRows: [2, 3],
  expiresAt: now.getTime() + SEAL_LIFETIME_MS,
};
const expectFor = { accountId: "a1", organisationId: "o1", now };

function refused(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a refusal");
}

describe("UCP-BULK-1 the checked rows kept between checking and confirming", () => {
  it("round-trips 1,000 rows in a compact hidden field", () => {
    const token = sealImport(key, sealed);
    expect(token.length).toBeLessThan(MAX_SEALED_LENGTH / 5);
    expect(openSealedImport(key, token, expectFor)).toEqual(sealed);
  });

  it("refuses a changed byte, another account or organisation, another key, and an expired seal", () => {
    const token = sealImport(key, sealed);
    const [body, signature] = token.split(".");
    const flipped = `${body!.slice(0, 10)}${body![10] === "A" ? "B" : "A"}${body!.slice(11)}.${signature}`;
    expect(refused(() => openSealedImport(key, flipped, expectFor)).fieldErrors.file).toMatch(/expired or could not be read/);
    refused(() => openSealedImport(key, token, { ...expectFor, accountId: "a2" }));
    refused(() => openSealedImport(key, token, { ...expectFor, organisationId: "o2" }));
    refused(() => openSealedImport(randomBytes(32), token, expectFor));
    refused(() => openSealedImport(key, token, { ...expectFor, now: new Date(sealed.expiresAt + 1) }));
    refused(() => openSealedImport(key, "not-a-token", expectFor));
    refused(() => openSealedImport(key, "x".repeat(MAX_SEALED_LENGTH + 1), expectFor));
  });
});
