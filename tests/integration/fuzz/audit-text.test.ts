import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit, systemActor, verifyAuditChain } from "@/lib/audit";
import { fixedClock } from "@/lib/clock";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { hostileString, runs } from "@/tests/unit/property/hostile";

/**
 * Issue 11, found by the HTTP fuzz run: a search term with a NUL or an unpaired surrogate made
 * the audit insert fail (jsonb refuses them), so the page answered 500. Whatever text an event's
 * detail carries is stored, and the chain still verifies.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

describe("audit detail of any text", () => {
  it("is stored (NUL and lone surrogates replaced) and the chain verifies", async () => {
    const clock = fixedClock("2026-05-05T09:00:00Z");
    await recordAudit(db.db, systemActor(), clock, { action: "search.performed", detail: { terms: "a\u0000b\uD800c", nested: { list: ["\uDC00", "😀"] }, ["k\u0000"]: 1 } });
    await fc.assert(
      fc.asyncProperty(hostileString, async (text) => {
        await recordAudit(db.db, systemActor(), clock, { action: "search.performed", detail: { terms: text.slice(0, 5000) } });
      }),
      { numRuns: runs(60) },
    );
    const [row] = await db.superuserExecute("select detail from audit_events where detail ? 'nested'");
    expect(row?.detail).toEqual({ terms: "a\uFFFDb\uFFFDc", nested: { list: ["\uFFFD", "😀"] }, "k\uFFFD": 1 });
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});
