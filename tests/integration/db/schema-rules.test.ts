import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, tables } from "@/lib/db";
import { createTestDatabase, refusal, type TestDatabase } from "@/tests/support/test-database";

/** Rules the database itself enforces, whatever code runs against it. */

let handle: TestDatabase;

beforeAll(async () => {
  handle = await createTestDatabase();
});

afterAll(async () => {
  await handle?.dispose();
});

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

async function insertOrganisation(): Promise<string> {
  const [row] = await handle.db
    .insert(tables.organisations)
    .values({ odsCode: `T${unique()}`.toUpperCase(), name: "Riverside Care Ltd", kind: "provider", type: "care_home" })
    .returning({ id: tables.organisations.id });
  return row!.id;
}

async function insertAccount(organisationId: string, email = `person.${unique()}@riverside.example.org`): Promise<string> {
  const [row] = await handle.db
    .insert(tables.accounts)
    .values({ organisationId, audience: "provider", fullName: "Alex Person", email })
    .returning({ id: tables.accounts.id });
  return row!.id;
}

async function accountCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from accounts`);
  return row!.n;
}

describe("accounts and organisations are never deleted", () => {
  it("UAP-4.3c deleting an account is refused by the database", async () => {
    const organisationId = await insertOrganisation();
    const accountId = await insertAccount(organisationId);

    const error = await refusal(handle.db.delete(tables.accounts).where(eq(tables.accounts.id, accountId)));
    expect(error.code).toBe("42501");
    expect(error.message).toMatch(/accounts are suspended, never deleted/);

    const rows = await handle.db.select().from(tables.accounts).where(eq(tables.accounts.id, accountId));
    expect(rows).toHaveLength(1);
  });

  it("UAP-4.3c suspending is how an account leaves: its status changes and the row stays", async () => {
    const organisationId = await insertOrganisation();
    const accountId = await insertAccount(organisationId);
    await handle.db
      .update(tables.accounts)
      .set({ status: "suspended", suspendedAt: new Date(), suspensionReason: "left the organisation" })
      .where(eq(tables.accounts.id, accountId));
    const [row] = await handle.db.select().from(tables.accounts).where(eq(tables.accounts.id, accountId));
    expect(row?.status).toBe("suspended");
  });

  it("UAP-4.3c truncating accounts is refused by the database", async () => {
    const organisationId = await insertOrganisation();
    await insertAccount(organisationId);
    const before = await accountCount();

    // Plain TRUNCATE stops at the foreign keys pointing at accounts; CASCADE reaches the trigger.
    const plain = await refusal(handle.db.execute(sql`truncate table accounts`));
    expect(["42501", "0A000"]).toContain(plain.code);
    const cascade = await refusal(handle.db.execute(sql`truncate table accounts cascade`));
    expect(cascade.code).toBe("42501");

    expect(await accountCount()).toBe(before);
  });

  it("UAP-4.3c an organisation cannot be deleted, with or without accounts", async () => {
    const empty = await insertOrganisation();
    const withAccount = await insertOrganisation();
    await insertAccount(withAccount);

    for (const id of [empty, withAccount]) {
      const error = await refusal(handle.db.delete(tables.organisations).where(eq(tables.organisations.id, id)));
      expect(error.code).toBe("42501");
      expect(error.message).toMatch(/organisations are closed, never deleted/);
    }
    const cascade = await refusal(handle.db.execute(sql`truncate table organisations cascade`));
    expect(cascade.code).toBe("42501");

    const rows = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from organisations where id in (${empty}, ${withAccount})`);
    expect(rows[0]?.n).toBe(2);
  });
});

describe("account emails", () => {
  it("UAP-2.2 an account email is unique case-insensitively", async () => {
    const organisationId = await insertOrganisation();
    const local = `a.person.${unique()}`;
    await insertAccount(organisationId, `${local}@x.example.org`);

    // The same address again, however it is written, is refused.
    const same = await refusal(insertAccount(organisationId, `${local}@x.example.org`));
    expect(same.code).toBe("23505");
    expect(same.constraint).toBe("accounts_email_key");
    const mixedCase = await refusal(insertAccount(organisationId, `${local.replace(/^a\.p/, "A.P")}@x.example.org`));
    expect(["23505", "23514"]).toContain(mixedCase.code);

    // Even with the lower-case CHECK out of the way, the unique index compares lower(email).
    const rows = await handle.superuserExecute(`select count(*)::int as n from accounts where email = '${local}@x.example.org'`);
    expect(rows[0]?.n).toBe(1);
    const indexOnly = await refusal(
      handle.superuserExecute(`
        BEGIN;
        ALTER TABLE accounts DROP CONSTRAINT accounts_email_trimmed_check;
        INSERT INTO accounts (organisation_id, audience, full_name, email)
          VALUES ('${organisationId}', 'provider', 'A Person', '${local.replace(/^a\.p/, "A.P")}@x.example.org');
        ROLLBACK;`),
    );
    expect(indexOnly.code).toBe("23505");
    expect(indexOnly.constraint).toBe("accounts_email_key");

    // And the CHECK is still there afterwards (the transaction was rolled back).
    const check = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from pg_constraint where conname = 'accounts_email_trimmed_check'`,
    );
    expect(check[0]?.n).toBe(1);
  });

  it.each([
    ["upper-case letters", (id: string) => `A.Person.${id}@X.example.org`],
    ["a leading space", (id: string) => ` a.person.${id}@x.example.org`],
    ["a trailing space", (id: string) => `a.person.${id}@x.example.org `],
  ])("UAP-2.2 an email is stored lower-cased and trimmed: one with %s is refused", async (_what, email) => {
    const organisationId = await insertOrganisation();
    const error = await refusal(insertAccount(organisationId, email(unique())));
    expect(error.code).toBe("23514");
    expect(error.constraint).toBe("accounts_email_trimmed_check");
  });
});

describe("what an account needs", () => {
  it.each([
    ["a name", "full_name"],
    ["an email", "email"],
    ["an organisation", "organisation_id"],
  ])("PRIV-3 an account needs %s (NOT NULL)", async (_what, column) => {
    const organisationId = await insertOrganisation();
    const values: Record<string, string | null> = {
      organisation_id: organisationId,
      full_name: "Alex Person",
      email: `priv3.${unique()}@riverside.example.org`,
    };
    values[column] = null;
    const error = await refusal(
      handle.db.execute(
        sql`insert into accounts (organisation_id, audience, full_name, email)
            values (${values.organisation_id}, 'provider', ${values.full_name}, ${values.email})`,
      ),
    );
    expect(error.code).toBe("23502");
    expect(error.message).toContain(column);
  });

  it("PRIV-3 an account's organisation must exist", async () => {
    const error = await refusal(insertAccount(randomUUID()));
    expect(error.code).toBe("23503");
  });
});

describe("request references", () => {
  async function insertRequest(organisationId: string): Promise<number> {
    const [row] = await handle.db
      .insert(tables.requests)
      .values({ organisationId, type: "new_user", title: "New user: Alex Person", channel: "web", dueAt: new Date() })
      .returning({ number: tables.requests.number });
    return row!.number;
  }

  it("request references come from one sequence, shared by every channel, never reused", async () => {
    const organisationId = await insertOrganisation();
    const first = await insertRequest(organisationId);
    const second = await insertRequest(organisationId);
    expect(second).toBeGreaterThan(first);

    // A number taken by a rolled-back transaction is not handed out again.
    await handle.db
      .transaction(async (tx) => {
        await tx.insert(tables.requests).values({ organisationId, type: "suspension", title: "Suspension: Alex Person", channel: "email", dueAt: new Date() });
        tx.rollback();
      })
      .catch(() => undefined);
    const third = await insertRequest(organisationId);
    expect(third).toBeGreaterThan(second + 1);

    // The column's default is the shared sequence, and numbers are unique.
    const [column] = await queryRows<{ column_default: string }>(
      handle.db,
      sql`select column_default from information_schema.columns where table_name = 'requests' and column_name = 'number'`,
    );
    expect(column?.column_default).toContain("request_number_seq");
    const duplicate = await refusal(
      handle.db.insert(tables.requests).values({ organisationId, number: third, type: "new_user", title: "New user: Sam Other", channel: "cli", dueAt: new Date() }),
    );
    expect(duplicate.code).toBe("23505");
  });
});
