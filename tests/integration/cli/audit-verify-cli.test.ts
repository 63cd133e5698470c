import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { asc } from "drizzle-orm";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { recordAudit, type Actor } from "@/lib/audit";
import { hashEvent } from "@/lib/audit/canonical";
import { fixedClock } from "@/lib/clock";
import { migrateDatabase, openDatabase, tables } from "@/lib/db";
import { deleteAndClose, rewriteWholeChain, withTriggersOff } from "@/tests/integration/audit/tamper";
import { createCliDatabase, runPortal, type CliDatabase } from "@/tests/support/cli";

/**
 * UAP-4.4 / AUP-7.1 through the operator's command: `portal audit verify` names the first bad
 * event for an altered, a deleted, an inserted and a reordered row, and catches a rewrite of
 * the whole log against a checkpoint — on the database kind of this run.
 */

const staff: Actor = { accountId: randomUUID(), label: "Sam Staff (operator)", channel: "web", clientAddress: "192.0.2.10", userAgent: "Vitest" };

interface Verdict {
  ok: boolean;
  events: number;
  firstBad?: { seq: number; id: string | null; problem: string };
  checkpoint: { seq: number; hash: string } | null;
}

let database: CliDatabase | undefined;
afterEach(async () => {
  await database?.dispose();
  database = undefined;
});

/** A migrated CLI database holding five audit events, then `tamper` run as a superuser; returns the events as they were. */
async function chainTamperedWith(tamper: (events: Awaited<ReturnType<typeof readEvents>>) => string | null) {
  database = await createCliDatabase();
  const url = database.env.DATABASE_URL;
  const handle = url ? await openDatabase({ url, poolSize: 1 }) : await openDatabase({ dataDir: database.location });
  try {
    await migrateDatabase(handle);
    const clock = fixedClock("2026-03-02T09:00:00.000Z");
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await handle.db.transaction((tx) => recordAudit(tx, staff, clock, { action: "account.amended", subjectAccountId: randomUUID(), detail: { n: i, after: { role: "b" } } }));
    }
    const events = await readEvents(handle.db);
    const statements = tamper(events);
    if (statements) {
      if (url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(statements).finally(() => client.end());
      } else {
        await (handle.db as unknown as { $client: PGlite }).$client.exec(statements);
      }
    }
    return events;
  } finally {
    await handle.close();
  }
}

function readEvents(db: Awaited<ReturnType<typeof openDatabase>>["db"]) {
  return db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));
}

async function verify(...extra: string[]) {
  const run = await runPortal(["audit", "verify", "--json", ...extra], { env: database!.env });
  return { run, verdict: run.json<Verdict>() };
}

// Generous timeouts: each case makes a database and spawns the CLI, on a machine busy with other suites.
describe("portal audit verify names the first bad event", { timeout: 240_000 }, () => {
  it("UAP-4.4 passes an untouched log (exit 0)", async () => {
    await chainTamperedWith(() => null);
    const { run, verdict } = await verify();
    expect(run.code, run.stderr).toBe(0);
    expect(verdict).toMatchObject({ ok: true, events: 5, checkpoint: null });
  });

  it("UAP-4.4 AUP-7.1 an altered row: exit 1, that event, 'altered'", async () => {
    const events = await chainTamperedWith(() => withTriggersOff(`UPDATE audit_events SET detail = '{"n": 2, "after": {"role": "admin"}}' WHERE seq = 3;`));
    const { run, verdict } = await verify();
    expect(run.code).toBe(1);
    expect(verdict).toMatchObject({ ok: false, events: 2, firstBad: { seq: 3, id: events[2]!.id, problem: expect.stringMatching(/altered/) } });
    const human = await runPortal(["audit", "verify"], { env: database!.env });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`Audit chain BROKEN at event 3 (${events[2]!.id})`);
  });

  it("UAP-4.4 a deleted row: exit 1, the event after the gap", async () => {
    const events = await chainTamperedWith(() => withTriggersOff(`DELETE FROM audit_events WHERE seq = 3;`));
    const { run, verdict } = await verify();
    expect(run.code).toBe(1);
    expect(verdict.firstBad).toMatchObject({ seq: 4, id: events[3]!.id, problem: expect.stringMatching(/removed/) });
  });

  it("UAP-4.4 a deleted row with the sequence closed up behind it: exit 1, the event that no longer links", async () => {
    const events = await chainTamperedWith(() => deleteAndClose(3));
    const { run, verdict } = await verify();
    expect(run.code).toBe(1);
    expect(verdict.firstBad).toMatchObject({ seq: 3, id: events[3]!.id, problem: expect.stringMatching(/link/) });
  });

  it("UAP-4.4 an inserted row (well-formed, linked to the event before it): exit 1, the displaced event", async () => {
    const forgedId = randomUUID();
    const events = await chainTamperedWith((events) => {
      const forged = { ...events[1]!, seq: 3, id: forgedId, action: "role.granted", detail: { role: "system_administrator" }, prevHash: events[1]!.hash };
      const { hash: _hash, ...fields } = forged;
      return withTriggersOff(`
        UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 3;
        UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000;
        INSERT INTO audit_events (seq, id, occurred_at, action, channel, actor_id, actor_label, subject_account_id, client_address, user_agent, detail, prev_hash, hash)
        VALUES (3, '${forgedId}', '${forged.occurredAt.toISOString()}', 'role.granted', 'web', '${staff.accountId}', '${staff.label}', '${forged.subjectAccountId}',
                '192.0.2.10', 'Vitest', '{"role": "system_administrator"}', '${forged.prevHash}', '${hashEvent(fields)}');`);
    });
    const { run, verdict } = await verify();
    expect(run.code).toBe(1);
    // The forgery is self-consistent; the original third event no longer links to the one before it.
    expect(verdict.firstBad).toMatchObject({ seq: 4, id: events[2]!.id, problem: expect.stringMatching(/link/) });
  });

  it("UAP-4.4 reordered rows: exit 1, the first event out of place", async () => {
    const events = await chainTamperedWith(() => withTriggersOff(`UPDATE audit_events SET seq = -1 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = -1;`));
    const { run, verdict } = await verify();
    expect(run.code).toBe(1);
    expect(verdict.firstBad).toMatchObject({ seq: 2, id: events[2]!.id, problem: expect.stringMatching(/link/) });
  });
});

describe("portal audit verify against a checkpoint", { timeout: 240_000 }, () => {
  it("UAP-4.4 a rewrite of the whole log with every hash recomputed passes the chain but fails the emailed checkpoint", async () => {
    let checkpoint = "";
    await chainTamperedWith((events) => {
      checkpoint = `${events[4]!.seq}:${events[4]!.hash}`;
      return rewriteWholeChain(events, (event) => (event.seq === 2 ? { ...event, actorLabel: "Someone else" } : event));
    });
    const unanchored = await verify();
    expect(unanchored.run.code).toBe(0); // self-consistent: this is what a checkpoint is for
    const { run, verdict } = await verify("--checkpoint", checkpoint);
    expect(run.code).toBe(1);
    expect(verdict).toMatchObject({ ok: false, firstBad: { seq: 5, problem: expect.stringMatching(/differs from the checkpoint.*rewritten/) }, checkpoint: { seq: 5 } });
  });

  it("refuses a malformed checkpoint with a clear message (exit 2), reading nothing", async () => {
    database = await createCliDatabase();
    const run = await runPortal(["audit", "verify", "--json", "--checkpoint", "five:abc"], { env: database.env });
    expect(run.code).toBe(2);
    expect(run.json()).toEqual({ error: { code: "validation", message: expect.stringContaining("SEQUENCE:HASH") } });
  });
});
