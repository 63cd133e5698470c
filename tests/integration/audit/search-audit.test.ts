import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountActivity, searchAudit } from "@/lib/audit/search-audit";
import { verifyAuditChain } from "@/lib/audit";
import { createAuditWorld, type AuditWorld } from "./audit-world";

/** Searching the audit log (UAP-A.9) and one account's trail (AUP-8.1), on PGlite and PostgreSQL. */

let world: AuditWorld;
beforeAll(async () => {
  world = await createAuditWorld();
});
afterAll(async () => {
  await world?.dispose();
});

const seqs = (result: { rows: { seq: number }[] }) => result.rows.map((r) => r.seq);

describe("searchAudit", () => {
  it("UAP-A.9 UAP-4.4 with no filters lists every event newest first, with names joined and the total", async () => {
    const result = await searchAudit(world.handle.db, {});
    expect(seqs(result)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(result).toMatchObject({ total: 8, totalIsLowerBound: false, page: 1, hasNextPage: false, people: [] });
    const suspension = result.rows.find((r) => r.action === "account.suspended")!;
    expect(suspension).toMatchObject({
      actorId: world.people.sam.id,
      actorLabel: "Sam Patel",
      channel: "web",
      organisationName: "Riverside Home Care",
      subjectAccountId: world.people.rita.id,
      subjectName: "Rita Osei",
      subjectEmail: "rita.osei@riverside.example.org",
      detail: { reason: "Left" },
      clientAddress: "10.1.2.3",
    });
    expect(suspension.occurredAt).toEqual(new Date("2025-03-31T11:00:00.000Z"));
    expect(suspension.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("UAP-A.9 by person: an account id finds what the account did and what was done to it", async () => {
    expect(seqs(await searchAudit(world.handle.db, { person: world.people.tom.id }))).toEqual([6, 4, 3]);
    expect(seqs(await searchAudit(world.handle.db, { person: world.people.priya.id.toUpperCase() }))).toEqual([3, 2]);
  });

  it("UAP-A.9 by person: an email address or part of a name, in any case, and the people it matched", async () => {
    const byEmail = await searchAudit(world.handle.db, { person: "Rita.Osei@riverside.example.org" });
    expect(seqs(byEmail)).toEqual([8, 7, 5]);
    expect(byEmail.people).toEqual([{ id: world.people.rita.id, fullName: "Rita Osei", email: "rita.osei@riverside.example.org" }]);

    const byName = await searchAudit(world.handle.db, { person: "baker" });
    expect(seqs(byName)).toEqual([6, 4, 3]);

    // "meadowbank-care" is in two people's addresses: either one's events.
    const both = await searchAudit(world.handle.db, { person: "meadowbank-care" });
    expect(seqs(both)).toEqual([6, 4, 3, 2]);
    expect(both.people.map((p) => p.fullName)).toEqual(["Priya Shah", "Tom Baker"]);
  });

  it("UAP-A.9 by person: text that is no one's finds nothing, and wildcards are taken literally", async () => {
    expect(await searchAudit(world.handle.db, { person: "nobody at all" })).toMatchObject({ rows: [], total: 0, people: [] });
    expect((await searchAudit(world.handle.db, { person: "%" })).rows).toEqual([]);
    expect((await searchAudit(world.handle.db, { person: "_" })).rows).toEqual([]);
  });

  it("UAP-A.9 by organisation", async () => {
    expect(seqs(await searchAudit(world.handle.db, { organisationId: world.org.riverside }))).toEqual([8, 7, 5, 1]);
    expect(seqs(await searchAudit(world.handle.db, { organisationId: world.org.council }))).toEqual([]);
  });

  it("UAP-A.9 by action: exactly, or every action under a prefix (with _ matched literally)", async () => {
    expect(seqs(await searchAudit(world.handle.db, { action: "request.approved" }))).toEqual([8, 4]);
    expect(seqs(await searchAudit(world.handle.db, { action: "request." }))).toEqual([8, 4, 3]);
    expect(seqs(await searchAudit(world.handle.db, { action: "request" }))).toEqual([8, 4, 3]);
    expect(seqs(await searchAudit(world.handle.db, { action: "sign_in." }))).toEqual([6]);
    expect(seqs(await searchAudit(world.handle.db, { action: "account.created" }))).toEqual([2]);
    expect(seqs(await searchAudit(world.handle.db, { action: "account" }))).toEqual([5, 2]);
  });

  it("UAP-A.9 a prefix search reads page after page in the same order as the whole log, whatever the page size", async () => {
    const all = seqs(await searchAudit(world.handle.db, { pageSize: 100 }));
    const under = async (prefix: string) => (await searchAudit(world.handle.db, { pageSize: 100 })).rows.filter((r) => r.action.startsWith(prefix)).map((r) => r.seq);
    expect(all.length).toBeGreaterThan(3);
    for (const prefix of ["request.", "account.", "sign_in."]) {
      const expected = await under(prefix);
      for (const pageSize of [1, 2]) {
        const paged: number[] = [];
        for (let page = 1; page <= expected.length + 1; page += 1) {
          const result = await searchAudit(world.handle.db, { action: prefix, page, pageSize });
          paged.push(...seqs(result));
          expect(result.hasNextPage).toBe(page * pageSize < expected.length);
        }
        expect(paged).toEqual(expected);
      }
    }
    // With another filter the prefix still merges per action and keeps it.
    expect(seqs(await searchAudit(world.handle.db, { action: "request.", channel: "email" }))).toEqual([4]);
    expect(seqs(await searchAudit(world.handle.db, { action: "nothing_here." }))).toEqual([]);
  });

  it("UAP-A.9 by channel", async () => {
    expect(seqs(await searchAudit(world.handle.db, { channel: "email" }))).toEqual([4]);
    expect(seqs(await searchAudit(world.handle.db, { channel: "slack" }))).toEqual([8]);
    expect(seqs(await searchAudit(world.handle.db, { channel: "system" }))).toEqual([1]);
    expect(seqs(await searchAudit(world.handle.db, { channel: "web" }))).toEqual([7, 6, 5, 3, 2]);
  });

  it("UAP-A.9 by date: whole UK days, inclusive at both ends", async () => {
    // Monday 31 March (BST) begins at 23:00 UTC on Sunday: event 3 (23:30 UTC Sunday) is Monday's.
    expect(seqs(await searchAudit(world.handle.db, { from: "2025-03-31", to: "2025-03-31" }))).toEqual([5, 4, 3]);
    expect(seqs(await searchAudit(world.handle.db, { from: "2025-03-30", to: "2025-03-30" }))).toEqual([2]);
    expect(seqs(await searchAudit(world.handle.db, { from: "2025-04-01" }))).toEqual([8, 7, 6]);
    expect(seqs(await searchAudit(world.handle.db, { to: "2025-03-28" }))).toEqual([1]);
  });

  it("UAP-A.9 filters combine", async () => {
    const result = await searchAudit(world.handle.db, {
      person: world.people.sam.id,
      organisationId: world.org.meadowbank,
      action: "request.",
      channel: "email",
      from: "2025-03-31",
      to: "2025-03-31",
    });
    expect(seqs(result)).toEqual([4]);
    expect(result.total).toBe(1);
  });

  it("UAP-A.9 pages: newest first, a page at a time, with the total and whether more follow", async () => {
    const first = await searchAudit(world.handle.db, { pageSize: 3 });
    expect(first).toMatchObject({ total: 8, page: 1, hasNextPage: true });
    expect(seqs(first)).toEqual([8, 7, 6]);
    const last = await searchAudit(world.handle.db, { page: 3, pageSize: 3 });
    expect(seqs(last)).toEqual([2, 1]);
    expect(last.hasNextPage).toBe(false);
    const beyond = await searchAudit(world.handle.db, { page: 9, pageSize: 3 });
    expect(beyond.rows).toEqual([]);

    const filtered = await searchAudit(world.handle.db, { channel: "web", page: 2, pageSize: 2 });
    expect(seqs(filtered)).toEqual([5, 3]);
    expect(filtered).toMatchObject({ total: 5, hasNextPage: true });
  });

  it("UAP-A.9 the count stops at its limit and says so", async () => {
    const result = await searchAudit(world.handle.db, { channel: "web", pageSize: 1 }, { countLimit: 3 });
    expect(result).toMatchObject({ total: 3, totalIsLowerBound: true, hasNextPage: true });
  });

  it("UAP-A.9 bad filters are refused before reaching the database", async () => {
    await expect(searchAudit(world.handle.db, { from: "2025-02-30" })).rejects.toThrow();
    await expect(searchAudit(world.handle.db, { pageSize: 10_000 })).rejects.toThrow();
  });
});

describe("accountActivity", () => {
  it("AUP-8.1 everything one account did and had done to it, newest first, with the account", async () => {
    const activity = await accountActivity(world.handle.db, world.people.rita.id);
    expect(activity.account).toMatchObject({
      id: world.people.rita.id,
      fullName: "Rita Osei",
      email: "rita.osei@riverside.example.org",
      status: "active",
      organisationName: "Riverside Home Care",
    });
    expect(seqs(activity)).toEqual([8, 7, 5]);
    expect(activity.rows.map((r) => r.action)).toEqual(["request.approved", "signxin.failed", "account.suspended"]);
    expect(activity.total).toBe(3);

    const sam = await accountActivity(world.handle.db, world.people.sam.id, { pageSize: 2 });
    expect(seqs(sam)).toEqual([8, 5]);
    expect(sam).toMatchObject({ total: 4, hasNextPage: true });
  });

  it("AUP-8.1 an id with no account has no account and no events", async () => {
    const activity = await accountActivity(world.handle.db, "00000000-0000-4000-8000-000000000000");
    expect(activity).toMatchObject({ account: null, rows: [], total: 0 });
    await expect(accountActivity(world.handle.db, "not-an-id")).rejects.toThrow();
  });

  it("UAP-4.4 searching leaves the chain as it was", async () => {
    expect(await verifyAuditChain(world.handle.db)).toMatchObject({ ok: true, events: 8 });
  });
});
