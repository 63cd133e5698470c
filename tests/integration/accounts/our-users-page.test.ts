import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrganisationAccountsPage } from "@/lib/accounts/list-organisation-accounts";
import { tables } from "@/lib/db";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/** "Our users" a page at a time (issue 4), with a search on name or email and a status filter. */

let handle: TestDatabase;
let organisationId: string;
let otherId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  const [riverside, elsewhere] = await handle.db
    .insert(tables.organisations)
    .values([
      { odsCode: "OUR01", name: "Riverside Care Ltd", kind: "provider", type: "care_home" },
      { odsCode: "OUR02", name: "Elsewhere Care Ltd", kind: "provider", type: "care_home" },
    ])
    .returning();
  organisationId = riverside!.id;
  otherId = elsewhere!.id;
  const statuses = ["active", "pending", "suspended"] as const;
  // 120 people named Person 000 … Person 119; every third is suspended; one name carries a % sign.
  await handle.db.insert(tables.accounts).values(
    Array.from({ length: 120 }, (_, i) => ({
      organisationId,
      audience: "provider" as const,
      fullName: i === 7 ? "Percy 100% Reliable" : `Person ${String(i).padStart(3, "0")}`,
      email: `person${i}@riverside-care.example.org`,
      status: statuses[i % 3]!,
    })),
  );
  await handle.db.insert(tables.accounts).values({ organisationId: otherId, audience: "provider", fullName: "Person 999", email: "person999@elsewhere.example.org", status: "active" });
});
afterAll(async () => {
  await handle?.dispose();
});

describe("Our users, a page at a time", () => {
  it("UAP-2.3 shows 50 accounts a page in name order, with the total and the page count, only from the viewer's organisation", async () => {
    const first = await listOrganisationAccountsPage(handle.db, organisationId);
    expect(first).toMatchObject({ total: 120, page: 1, pageCount: 3 });
    expect(first.accounts).toHaveLength(50);
    expect(first.accounts[0]!.fullName).toBe("Percy 100% Reliable");
    expect(first.accounts[1]!.fullName).toBe("Person 000");
    const last = await listOrganisationAccountsPage(handle.db, organisationId, { page: 3 });
    expect(last.accounts).toHaveLength(20);
    expect(last.accounts.at(-1)!.fullName).toBe("Person 119");
    const seen = new Set([...first.accounts, ...(await listOrganisationAccountsPage(handle.db, organisationId, { page: 2 })).accounts, ...last.accounts].map((a) => a.id));
    expect(seen.size).toBe(120);
  });

  it("shows the last page for a page number past it", async () => {
    const past = await listOrganisationAccountsPage(handle.db, organisationId, { page: 99 });
    expect(past).toMatchObject({ page: 3, pageCount: 3 });
    expect(past.accounts).toHaveLength(20);
  });

  it("finds people by any part of their name or email, ignoring case, and % literally", async () => {
    const byName = await listOrganisationAccountsPage(handle.db, organisationId, { search: "person 01" });
    expect(byName.accounts.map((a) => a.fullName)).toEqual(Array.from({ length: 10 }, (_, i) => `Person 01${i}`));
    const byEmail = await listOrganisationAccountsPage(handle.db, organisationId, { search: "PERSON119@" });
    expect(byEmail.accounts.map((a) => a.email)).toEqual(["person119@riverside-care.example.org"]);
    const percent = await listOrganisationAccountsPage(handle.db, organisationId, { search: "100%" });
    expect(percent.accounts.map((a) => a.fullName)).toEqual(["Percy 100% Reliable"]);
    const nobody = await listOrganisationAccountsPage(handle.db, organisationId, { search: "person 999" });
    expect(nobody).toMatchObject({ total: 0, page: 1, pageCount: 1, accounts: [] });
  });

  it("filters by status, together with a search", async () => {
    const suspended = await listOrganisationAccountsPage(handle.db, organisationId, { status: "suspended" });
    expect(suspended.total).toBe(40);
    expect(suspended.accounts.every((a) => a.status === "suspended")).toBe(true);
    const both = await listOrganisationAccountsPage(handle.db, organisationId, { status: "suspended", search: "person 00" });
    expect(both.accounts.map((a) => a.fullName)).toEqual(["Person 002", "Person 005", "Person 008"]);
  });
});
