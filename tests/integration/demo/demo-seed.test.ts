import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { organisationContacts } from "@/lib/db/schema/contacts";
import { contracts } from "@/lib/db/schema/contracts";
import { queryThreads } from "@/lib/db/schema/queries";
import { seedDemo } from "@/lib/demo/seed-demo";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { requestTestConfig } from "@/tests/unit/requests/request-config";

let handle: TestDatabase | undefined;
afterEach(async () => {
  await handle?.dispose();
  handle = undefined;
});

describe("the demo data", () => {
  it("AUP-2.1 gives the active demo provider something in every provider function: key contacts, a contract to sign and an open query", async () => {
    handle = await createTestDatabase();
    await seedDemo({ db: handle.db, config: requestTestConfig(), clock: fixedClock("2026-05-05T09:00:00.000Z"), secretsKey: randomBytes(32) });
    const [meadowbank] = await handle.db.select({ id: tables.organisations.id }).from(tables.organisations).where(eq(tables.organisations.odsCode, "AB1C2"));

    const contactRows = await handle.db.select().from(organisationContacts).where(eq(organisationContacts.organisationId, meadowbank!.id));
    expect(contactRows.map((c) => c.role).sort()).toEqual(["finance", "out_of_hours", "registered_manager"]);

    const contractRows = await handle.db.select().from(contracts).where(eq(contracts.organisationId, meadowbank!.id));
    expect(contractRows).toHaveLength(1);
    expect(contractRows[0]).toMatchObject({ title: "Reablement service agreement", documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Buffer.from(contractRows[0]!.document).subarray(0, 5).toString()).toBe("%PDF-");

    const threads = await handle.db.select().from(queryThreads).where(eq(queryThreads.organisationId, meadowbank!.id));
    expect(threads.map((t) => t.subject)).toEqual(["Extra morning call from next week"]);

    // Made through the use cases: each with its audit event, and the chain still whole.
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it("leaves the provider-function samples out when asked (the tests that count their own rows)", async () => {
    handle = await createTestDatabase();
    await seedDemo({ db: handle.db, config: requestTestConfig(), clock: fixedClock("2026-05-05T09:00:00.000Z"), secretsKey: randomBytes(32), providerFunctions: false });
    expect(await handle.db.select().from(organisationContacts)).toEqual([]);
    expect(await handle.db.select().from(contracts)).toEqual([]);
    expect(await handle.db.select().from(queryThreads)).toEqual([]);
  });
});
