import { desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { auditCsvColumns } from "@/lib/audit/audit-csv";
import { exportAuditCsv, printAudit } from "@/lib/audit/export-audit";
import { recordPageView, recordSearch } from "@/lib/audit/record-page-view";
import { accountActivity, searchAudit } from "@/lib/audit/search-audit";
import { tables } from "@/lib/db";
import { createAuditWorld, type AuditWorld } from "./audit-world";

/** Exports and prints are recorded (AUP-5.2f); page views with the account (PRIV-2a), searches without (PRIV-2b). */

let world: AuditWorld;
beforeEach(async () => {
  world = await createAuditWorld();
});
afterEach(async () => {
  await world?.dispose();
});

/** A small RFC 4180 reader for the tests: quoted cells may hold commas, quotes and line breaks. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    record.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endCell();
    else if (c === "\r" && text[i + 1] === "\n") {
      endCell();
      records.push(record);
      record = [];
      i++;
    } else cell += c;
  }
  if (cell || record.length) {
    endCell();
    records.push(record);
  }
  return records;
}

async function exportToText(options: Omit<Parameters<typeof exportAuditCsv>[0], "write" | "db" | "clock">) {
  const chunks: string[] = [];
  const result = await exportAuditCsv({ db: world.handle.db, clock: world.clock, write: (chunk) => void chunks.push(chunk), ...options });
  return { ...result, chunks, text: chunks.join("") };
}

async function lastEvent() {
  const [event] = await world.handle.db.select().from(tables.auditEvents).orderBy(desc(tables.auditEvents.seq)).limit(1);
  return event!;
}

describe("exporting the audit log", () => {
  it("AUP-5.2f UAP-A.9 an export writes every matching event as CSV, a chunk at a time, and records audit.exported with the filters and row count", async () => {
    world.clock.set("2025-04-02T09:00:00.000Z");
    const sam = world.actor(world.people.sam);
    const { rowCount, auditSeq, chunks, text } = await exportToText({ actor: sam, filters: { organisationId: world.org.meadowbank }, chunkSize: 2 });
    expect(rowCount).toBe(4);
    expect(chunks).toHaveLength(2);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...records] = readCsv(text.slice(1));
    expect(header).toEqual(auditCsvColumns.map((c) => c.header));
    expect(records.map((r) => Number(r[0]))).toEqual([6, 4, 3, 2]);
    const approved = records.find((r) => r[4] === "request.approved")!;
    expect(approved.slice(4, 8)).toEqual(["request.approved", "email", world.people.sam.id, "Sam Patel"]);
    expect(approved[9]).toBe("Meadowbank Care Ltd");
    expect(approved[11]).toBe("Tom Baker");

    const event = await lastEvent();
    expect(event).toMatchObject({
      seq: auditSeq,
      action: "audit.exported",
      actorId: world.people.sam.id,
      actorLabel: "Sam Patel",
      channel: "web",
      detail: { format: "csv", filters: { organisationId: world.org.meadowbank }, rowCount: 4 },
    });
    expect(event.occurredAt).toEqual(new Date("2025-04-02T09:00:00.000Z"));
    expect(await verifyAuditChain(world.handle.db)).toMatchObject({ ok: true, events: 9 });
  });

  it("AUP-5.2f an export of nothing is a header row, and is recorded too", async () => {
    const { rowCount, text } = await exportToText({ actor: world.actor(world.people.sam), filters: { person: "nobody at all", action: "request." } });
    expect(rowCount).toBe(0);
    expect(readCsv(text.slice(1))).toEqual([auditCsvColumns.map((c) => c.header)]);
    expect((await lastEvent()).detail).toEqual({ format: "csv", filters: { person: "nobody at all", action: "request." }, rowCount: 0 });
  });

  it("AUP-5.2f an export that cannot be written is not recorded: the record and the read commit together", async () => {
    const before = await lastEvent();
    await expect(
      exportAuditCsv({
        db: world.handle.db,
        actor: world.actor(world.people.sam),
        clock: world.clock,
        filters: {},
        write: () => {
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect((await lastEvent()).seq).toBe(before.seq);
  });

  it("AUP-5.2f UAP-A.9 events sharing one instant, to the microsecond, are each exported once across chunks", async () => {
    // Five events at one instant (recordAudit stamps a batch with one time) …
    await world.record(
      "2025-04-03T10:00:00.000Z",
      world.actor(world.people.tom),
      Array.from({ length: 5 }, (_, n) => ({ action: "page.viewed", detail: { path: `/portal/${n}` } })),
    );
    // … and three written straight into the table with microseconds JavaScript's Date cannot hold.
    await world.handle.superuserExecute(`
      INSERT INTO audit_events (seq, id, occurred_at, action, channel, actor_label, detail, prev_hash, hash)
      SELECT 13 + g, gen_random_uuid(), timestamptz '2025-04-03 10:00:00.000001+00' + g * interval '1 microsecond', 'page.viewed', 'web', 'Imported', '{}', 'x', 'y'
      FROM generate_series(1, 3) g;`);
    for (const chunkSize of [1, 2, 3, 4, 100]) {
      const { rowCount, text } = await exportToText({ actor: world.actor(world.people.sam), filters: { action: "page.viewed" }, chunkSize });
      const seqs = readCsv(text.slice(1))
        .slice(1)
        .map((r) => Number(r[0]));
      expect(rowCount).toBe(8);
      expect(seqs).toEqual([16, 15, 14, 13, 12, 11, 10, 9]);
    }
  });

  it("AUP-5.2f a printout shows the newest events up to its limit and records audit.printed with the filters and what it showed", async () => {
    const printed = await printAudit({ db: world.handle.db, actor: world.actor(world.people.sam), clock: world.clock, filters: { action: "request." }, limit: 2 });
    expect(printed.rows.map((r) => r.seq)).toEqual([8, 4]);
    expect(printed.truncated).toBe(true);
    const event = await lastEvent();
    expect(event).toMatchObject({
      seq: printed.auditSeq,
      action: "audit.printed",
      actorId: world.people.sam.id,
      detail: { filters: { action: "request." }, rowCount: 2, truncated: true },
    });

    const all = await printAudit({ db: world.handle.db, actor: world.actor(world.people.sam), clock: world.clock, filters: { person: world.people.tom.id } });
    expect(all.rows.map((r) => r.seq)).toEqual([6, 4, 3]);
    expect(all.truncated).toBe(false);
    expect((await lastEvent()).detail).toEqual({ filters: { person: world.people.tom.id }, rowCount: 3, truncated: false });
  });
});

describe("pages viewed and searches", () => {
  it("PRIV-2a AUP-7.1 a page view is recorded against the viewer's account, with the path and not the query", async () => {
    world.clock.set("2025-04-02T14:00:00.000Z");
    await recordPageView(world.handle.db, {
      actor: world.actor(world.people.sam),
      clock: world.clock,
      path: "/staff/audit/accounts/" + world.people.tom.id + "?page=2",
      organisationId: world.org.council,
      subjectAccountId: world.people.tom.id,
    });
    const event = await lastEvent();
    expect(event).toMatchObject({
      action: "page.viewed",
      actorId: world.people.sam.id,
      actorLabel: "Sam Patel",
      channel: "web",
      clientAddress: "10.1.2.3",
      userAgent: "Vitest",
      organisationId: world.org.council,
      subjectAccountId: world.people.tom.id,
      detail: { path: `/staff/audit/accounts/${world.people.tom.id}` },
    });
    // Both people's trails show it: who looked, and whom they looked at (AUP-8.1).
    expect((await accountActivity(world.handle.db, world.people.sam.id)).rows[0]?.seq).toBe(event.seq);
    expect((await accountActivity(world.handle.db, world.people.tom.id)).rows[0]?.seq).toBe(event.seq);
  });

  it("PRIV-2b a search is recorded with its terms and time, and never the account, address or browser", async () => {
    world.clock.set("2025-04-02T15:00:00.000Z");
    await recordSearch(world.handle.db, { clock: world.clock, scope: "audit log", terms: { person: "Tom Baker", action: "request." } });
    const event = await lastEvent();
    expect(event).toMatchObject({
      action: "search.performed",
      actorId: null,
      actorLabel: "Anonymous",
      channel: "web",
      clientAddress: null,
      userAgent: null,
      organisationId: null,
      subjectAccountId: null,
      requestId: null,
      detail: { scope: "audit log", terms: { person: "Tom Baker", action: "request." } },
    });
    expect(event.occurredAt).toEqual(new Date("2025-04-02T15:00:00.000Z"));
    // Nobody's trail includes it; a search for searches finds it.
    for (const person of Object.values(world.people)) {
      const activity = await accountActivity(world.handle.db, person.id);
      expect(activity.rows.map((r) => r.action)).not.toContain("search.performed");
    }
    const searches = await searchAudit(world.handle.db, { action: "search.performed" });
    expect(searches.rows.map((r) => r.seq)).toEqual([event.seq]);
    const [stored] = await world.handle.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.seq, event.seq));
    expect(JSON.stringify(stored)).not.toMatch(/10\.1\.2\.3|Vitest|Sam Patel/);
    expect(await verifyAuditChain(world.handle.db)).toMatchObject({ ok: true });
  });
});
