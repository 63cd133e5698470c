import { and, asc, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import type { Executor } from "@/lib/db/types";
import { ingestEmail, ingestEmails, type IngestResult, type IntakeOutcome } from "@/lib/intake/ingest-email";
import { createRequestWorld, newUserInput, PRIYA, submitAs, type RequestWorld } from "@/tests/integration/requests/fixtures";
import { AUTHSERV_ID, fixture, fromPriyaAuthenticated } from "./email-fixtures";

/**
 * The intake in batches (lib/intake/ingest-email.ts: ingestEmails, which the listener calls a
 * fetched chunk at a time and ingestEmail calls with one message): the same outcomes and the same
 * records as one message a transaction; a message that fails in the middle of a batch fails
 * alone; copies within a batch are acted on once; one reply per sender per hour still holds.
 */


/** An authenticated reply from Priya quoting `reference`, with `words` as its own text. */
const reply = (n: number, reference: string, words: string) =>
  fromPriyaAuthenticated({ subject: `Re: ${reference} update ${n}`, messageId: `batch-${n}@meadowbank-care.example.org`, text: words });

function unclassified(n: number): Buffer {
  return Buffer.from([`From: Someone <someone.${n}@example.net>`, "To: brokerage@council.example.org", `Subject: A question ${n}`, `Message-ID: <batch-other-${n}@example.net>`, "", `Question ${n}.`, ""].join("\r\n"));
}

const shown = (o: IntakeOutcome) => ({ kind: o.kind, action: o.action, folder: o.folder, account: o.account, senderVerified: o.senderVerified, request: o.request, reason: o.reason });
const outcomes = (results: IngestResult[]) =>
  results.map((r) => {
    if (!r.ok) throw r.error;
    return r.outcome;
  });

/** What the intake leaves behind, without ids or hashes: comparable between two databases. */
async function records(db: Executor) {
  const events = await db
    .select({ action: tables.auditEvents.action, actor: tables.auditEvents.actorLabel, n: sql<number>`count(*)::int` })
    .from(tables.auditEvents)
    .where(eq(tables.auditEvents.channel, "email"))
    .groupBy(tables.auditEvents.action, tables.auditEvents.actorLabel)
    .orderBy(asc(tables.auditEvents.action), asc(tables.auditEvents.actorLabel));
  const inbound = await db
    .select({ subject: tables.inboundMessages.subject, classification: tables.inboundMessages.classification, action: tables.inboundMessages.action, folder: tables.inboundMessages.folder, reason: tables.inboundMessages.reason })
    .from(tables.inboundMessages)
    .orderBy(asc(tables.inboundMessages.subject), asc(tables.inboundMessages.reason));
  const outbox = await db.select({ kind: tables.outboundMessages.kind, to: tables.outboundMessages.to, subject: tables.outboundMessages.subject }).from(tables.outboundMessages).orderBy(asc(tables.outboundMessages.subject), asc(tables.outboundMessages.kind));
  const notes = await db.select({ body: tables.requestNotes.body, channel: tables.requestNotes.channel }).from(tables.requestNotes).orderBy(asc(tables.requestNotes.body));
  const requests = await db.select({ number: tables.requests.number, type: tables.requests.type, status: tables.requests.status, channel: tables.requests.channel }).from(tables.requests).orderBy(asc(tables.requests.number));
  return { events, inbound, outbox, notes, requests };
}

describe("email intake in batches", () => {
  const worlds: RequestWorld[] = [];
  beforeEach(() => {
    worlds.length = 0;
  });
  afterEach(async () => {
    for (const world of worlds) await world.dispose();
  });
  const newWorld = async () => {
    const world = await createRequestWorld();
    worlds.push(world);
    return world;
  };
  const options = (world: RequestWorld) => ({ db: world.db, clock: world.clock, config: world.config, settings: { authservId: AUTHSERV_ID } });

  it("UAP-A.8 UAP-4.1 a batch has the outcomes and leaves the records that one message a transaction does", async () => {
    // Every kind the intake knows, refusals and a copy included, in one order, in two databases.
    const corpus = (reference: string) => [
      fixture("reinstatement-authenticated.eml"),
      fixture("reinstatement-failed-authentication.eml"),
      fixture("reinstatement-display-name-spoof.eml"),
      fixture("leaver-iso-8859-1.eml"),
      fixture("lead-change-windows-1252.eml"),
      fixture("reply-outlook-multipart.eml", { "REQ-000123": reference }),
      fixture("reply-gmail-html-only.eml", { "REQ-000123": reference }),
      fixture("reply-outlook-multipart.eml", { "REQ-000123": "REQ-999999" }),
      fixture("bulk-csv-attachment.eml"),
      fixture("auto-reply-out-of-office.eml"),
      fixture("bounce-dsn.eml"),
      fixture("mailing-list.eml"),
      fixture("forwarded-message.eml"),
      fixture("malformed-mime.eml"),
      fixture("unclassified-plain.eml"),
      fixture("reinstatement-authenticated.eml"),
    ];
    const one = await newWorld();
    const many = await newWorld();
    const input = newUserInput({ fullName: "Jo Example", email: "jo.example@nhs.net" });
    const [inOne, inMany] = [await submitAs(one, input), await submitAs(many, input)];
    expect(inOne.reference).toBe(inMany.reference);

    const single: IntakeOutcome[] = [];
    for (const raw of corpus(inOne.reference)) single.push(await ingestEmail({ ...options(one), raw }));
    const batched = outcomes(await ingestEmails(options(many), corpus(inMany.reference).map((raw) => ({ raw }))));

    expect(batched.map(shown)).toEqual(single.map(shown));
    // The corpus is worth comparing: it reaches every path.
    expect(new Set(single.map((o) => o.action))).toEqual(new Set(["request_submitted", "refused", "needs_attention", "note_added", "bulk_imported", "ignored", "bounce_recorded", "duplicate"]));
    expect(await records(many.db)).toEqual(await records(one.db));
  });

  it("a message that fails in the middle of a batch fails alone: the others commit, it leaves nothing and is taken again once it can be", async () => {
    const world = await newWorld();
    const { reference, requestId } = await submitAs(world, newUserInput());
    // A fault of the database for one message only: its note breaks a constraint of the test's own.
    await world.db.execute(sql`alter table request_notes add constraint intake_batch_test_poison check (body not like '%POISON%')`);
    const batch = [reply(1, reference, "First update."), reply(2, reference, "This one is POISON."), unclassified(3), reply(4, reference, "Fourth update."), fixture("auto-reply-out-of-office.eml")];

    const results = await ingestEmails(options(world), batch.map((raw) => ({ raw })));
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true, true]);
    expect(results.map((r) => (r.ok ? r.outcome.action : null))).toEqual(["note_added", null, "needs_attention", "note_added", "ignored"]);
    const failure = (results[1] as { error: Error & { cause?: Error } }).error;
    expect(`${failure.message} ${failure.cause?.message ?? ""}`).toMatch(/intake_batch_test_poison/);

    const notes = await world.db.select().from(tables.requestNotes).where(eq(tables.requestNotes.requestId, requestId));
    expect(notes.map((n) => /(First|Fourth) update/.exec(n.body)?.[0]).sort()).toEqual(["First update", "Fourth update"]);
    const inbound = await world.db.select().from(tables.inboundMessages);
    expect(inbound).toHaveLength(4);
    expect(inbound.some((m) => m.messageId === "batch-2@meadowbank-care.example.org")).toBe(false);
    const noteEvents = await world.db.select().from(tables.auditEvents).where(and(eq(tables.auditEvents.action, "email.note_added"), eq(tables.auditEvents.channel, "email")));
    expect(noteEvents).toHaveLength(2);

    // Once the fault is gone, the same batch again: the failed one is acted on, the rest are recognised.
    await world.db.execute(sql`alter table request_notes drop constraint intake_batch_test_poison`);
    const again = outcomes(await ingestEmails(options(world), batch.map((raw) => ({ raw }))));
    expect(again.map((o) => o.action)).toEqual(["duplicate", "note_added", "duplicate", "duplicate", "duplicate"]);
    expect(await world.db.$count(tables.requestNotes, eq(tables.requestNotes.requestId, requestId))).toBe(3);
    expect(await world.db.$count(tables.inboundMessages)).toBe(5);
  });

  it("copies within one batch are acted on once, and a sender gets one reply an hour however many of their messages a batch holds", async () => {
    const world = await newWorld();
    const { reference, requestId } = await submitAs(world, newUserInput());
    const first = reply(1, reference, "First update.");
    // Other bytes, the same Message-ID.
    const sameId = reply(1, reference, "First update, sent again.");
    const results = outcomes(await ingestEmails(options(world), [first, first, sameId, reply(2, reference, "Second update.")].map((raw) => ({ raw }))));
    expect(results.map((o) => o.action)).toEqual(["note_added", "duplicate", "duplicate", "note_added"]);
    expect(results[1]).toMatchObject({ kind: "reply", folder: "processed", request: reference });
    expect(await world.db.$count(tables.requestNotes, eq(tables.requestNotes.requestId, requestId))).toBe(2);
    const replies = await world.db.select().from(tables.outboundMessages).where(and(eq(tables.outboundMessages.kind, "intake_reply"), sql`${tables.outboundMessages.to} ? ${PRIYA}`));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(`Your message has been added to ${reference}`);
  });
});
