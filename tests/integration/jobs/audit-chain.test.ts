import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { CHECKPOINT_KIND, CHAIN_BROKEN_KIND, latestCheckpoint, parseCheckpointText } from "@/lib/audit/checkpoint";
import { tables } from "@/lib/db";
import { rewriteWholeChain, withTriggersOff } from "../audit/tamper";
import { ALEX, auditOf, createJobWorld, DAY, jobsConfig, mailOf, type JobWorld } from "./fixtures";

/** UAP-4.4: the audit chain checkpointed daily outside the database, and verified nightly with an alert. */

let world: JobWorld;
afterEach(async () => {
  await world?.dispose();
});

const allEvents = () => world.db.select().from(tables.auditEvents).orderBy(asc(tables.auditEvents.seq));

describe("the daily checkpoint", () => {
  it("UAP-4.4 emails the chain head (sequence, hash, time) to audit.checkpointEmail and keeps it in the outbox, once a day", async () => {
    world = await createJobWorld({ config: { audit: { checkpointEmail: "Audit.Archive@council.example.org" } } });
    const head = (await allEvents()).at(-1)!;

    const run = await world.run("audit-checkpoint");
    expect(run.status).toBe("ok");
    expect(run.summary).toMatchObject({ checkpointed: true, seq: head.seq, emailedTo: ["audit.archive@council.example.org"] });
    const [mail, ...more] = await mailOf(world.db, CHECKPOINT_KIND);
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ to: ["audit.archive@council.example.org"], status: "pending" });
    expect(mail!.text).toContain(`Sequence: ${head.seq}`);
    expect(mail!.text).toContain(`Hash: ${head.hash}`);
    expect(parseCheckpointText(mail!.text)).toEqual({ seq: head.seq, hash: head.hash, at: world.clock.now() });
    const [event] = await auditOf(world.db, "audit.checkpoint_recorded");
    expect(event).toMatchObject({ channel: "job", actorLabel: "Audit log checkpoint", seq: head.seq + 1 });
    expect(event!.detail).toMatchObject({ seq: head.seq, hash: head.hash, to: ["audit.archive@council.example.org"] });

    // The same day again: nothing new. The next day: a new checkpoint naming the new head.
    expect((await world.run("audit-checkpoint")).summary).toMatchObject({ checkpointed: false });
    world.travel(1);
    expect((await world.run("audit-checkpoint")).summary).toMatchObject({ checkpointed: true, seq: head.seq + 1 });
    expect(await latestCheckpoint(world.db)).toMatchObject({ seq: head.seq + 1, hash: event!.hash });
  });

  it("UAP-4.4 without audit.checkpointEmail emails the checkpoint to the team leads, so it still leaves the database", async () => {
    world = await createJobWorld();
    expect(world.config.audit.checkpointEmail).toBeUndefined();
    const { summary } = await world.run("audit-checkpoint");
    expect(summary).toMatchObject({ checkpointed: true });
    const [mail] = await mailOf(world.db, CHECKPOINT_KIND);
    expect(mail!.status).toBe("pending");
    expect(mail!.to.length).toBeGreaterThan(0);
    expect(mail!.to).toContain("alex.morgan@council.example.org");
    expect(await latestCheckpoint(world.db)).not.toBeNull();
  });

  it("rejects a checkpoint address that is not an email address (configuration is validated)", async () => {
    expect(() => jobsConfig({ audit: { checkpointEmail: "not an address" } })).toThrow(/email address/);
    expect(jobsConfig({ audit: {} }).audit.checkpointEmail).toBeUndefined();
  });
});

describe("the nightly verification", () => {
  beforeEach(async () => {
    world = await createJobWorld();
  });

  it("UAP-4.4 passes quietly on a good chain, against the last checkpoint", async () => {
    await world.run("audit-checkpoint");
    const run = await world.run("audit-verify");
    expect(run.status).toBe("ok");
    expect(run.summary).toMatchObject({ chainBroken: false, checkpointSeq: expect.any(Number) });
    expect(await mailOf(world.db, CHAIN_BROKEN_KIND)).toHaveLength(0);
  });

  it("UAP-4.4 AUP-7.1 alerts the team leads, once a day, naming the first bad event of an altered row, and records the failure", async () => {
    const events = await allEvents();
    await world.handle.superuserExecute(withTriggersOff(`UPDATE audit_events SET actor_label = 'Someone else' WHERE seq = 3;`));

    const run = await world.run("audit-verify");
    expect(run.status).toBe("ok");
    expect(run.summary).toMatchObject({ chainBroken: true, firstBadEvent: 3, alerted: true, verified: 2 });
    const [alert] = await mailOf(world.db, CHAIN_BROKEN_KIND);
    expect(alert!.to).toContain(ALEX); // the demo's Team lead
    expect(alert!.subject).toContain("FAILED at event 3");
    expect(alert!.text).toContain(`First bad event: 3 (${events[2]!.id})`);
    expect(alert!.text).toMatch(/altered/);
    const [failure] = await auditOf(world.db, "audit.verification_failed");
    expect(failure!.detail).toMatchObject({ seq: 3, id: events[2]!.id });

    // Run again the same night: no second email. The next night: told again.
    expect((await world.run("audit-verify")).summary).toMatchObject({ chainBroken: true, alerted: false });
    world.travel(1);
    expect((await world.run("audit-verify")).summary).toMatchObject({ chainBroken: true, alerted: true });
    expect(await mailOf(world.db, CHAIN_BROKEN_KIND)).toHaveLength(2);
  });

  it("UAP-4.4 detects a rewrite of the whole table with every hash recomputed, against the last checkpoint — and never checkpoints it", async () => {
    await world.run("audit-checkpoint");
    const checkpoint = (await latestCheckpoint(world.db))!;
    const events = await allEvents();
    await world.handle.superuserExecute(
      rewriteWholeChain(events, (event) => (event.seq === 2 ? { ...event, detail: { ...event.detail, roles: ["system_administrator"] } } : event)),
    );

    // The rewritten chain is self-consistent: only the checkpoint shows it.
    expect(await verifyAuditChain(world.db)).toMatchObject({ ok: true, events: events.length });
    const verdict = await verifyAuditChain(world.db, { checkpoint });
    expect(verdict).toMatchObject({ ok: false, firstBad: { seq: checkpoint.seq, problem: expect.stringMatching(/differs from the checkpoint.*rewritten/) } });

    const run = await world.run("audit-verify");
    expect(run.summary).toMatchObject({ chainBroken: true, firstBadEvent: checkpoint.seq, alerted: true });
    world.clock.advance(DAY);
    const refused = await world.run("audit-checkpoint");
    expect(refused.summary).toMatchObject({ checkpointed: false, chainBroken: true });
    expect((await latestCheckpoint(world.db))!.seq).toBe(checkpoint.seq);
  });

  it("UAP-4.4 detects events removed from the end, before the last checkpoint", async () => {
    await world.run("audit-checkpoint");
    const checkpoint = (await latestCheckpoint(world.db))!;
    await world.handle.superuserExecute(withTriggersOff(`DELETE FROM audit_events WHERE seq >= ${checkpoint.seq};`));
    const verdict = await verifyAuditChain(world.db, { checkpoint });
    expect(verdict).toMatchObject({ ok: false, events: checkpoint.seq - 1, firstBad: { seq: checkpoint.seq, id: null, problem: expect.stringMatching(/removed from the end/) } });
    expect((await world.run("audit-verify")).summary).toMatchObject({ chainBroken: true, firstBadEvent: checkpoint.seq });
  });
});
