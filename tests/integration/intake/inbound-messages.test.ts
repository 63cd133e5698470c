import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { like, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { ingestEmail } from "@/lib/intake/ingest-email";
import { listInboundMessages } from "@/lib/intake/queries";
import { appError, createRequestWorld, SAM, TOM, viewerFor, type RequestWorld } from "@/tests/integration/requests/fixtures";

/**
 * inbound_messages: one row per message taken from the mailbox, with what was decided and why;
 * the rows carry the idempotency keys; the records kept in portal_meta before the table existed
 * are moved into it by migration 0013.
 */

const FIXTURES = path.resolve(__dirname, "../../fixtures/email");
const raw = (name: string) => readFileSync(path.join(FIXTURES, name));
const sha256 = (value: Buffer | string) => createHash("sha256").update(value).digest("hex");

describe("inbound_messages", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => world?.dispose());

  const ingest = (message: Buffer, source: { mailbox: string; uidValidity: string; uid: number } | null = null) =>
    ingestEmail({ db: world.db, clock: world.clock, config: world.config, raw: message, settings: { authservId: "mx.council.example.org" }, source });

  it("UAP-A.8 keeps each message's Message-ID, hash, mailbox position, sender, classification, reason, authentication and request, once", async () => {
    const message = raw("reinstatement-authenticated.eml");
    const outcome = await ingest(message, { mailbox: "INBOX", uidValidity: "77", uid: 5 });
    await ingest(raw("mailing-list.eml"));
    const rows = await world.db.select().from(tables.inboundMessages);
    expect(rows).toHaveLength(2);
    const [request] = await world.db.select().from(tables.requests);
    const row = rows.find((r) => r.contentHash === sha256(message))!;
    expect(row).toMatchObject({
      messageId: "reinstate-1@meadowbank-care.example.org",
      messageIdHash: sha256("reinstate-1@meadowbank-care.example.org"),
      mailbox: "INBOX",
      uidValidity: "77",
      uid: 5,
      fromAddress: "lee.jones@meadowbank-care.example.org",
      fromName: "Lee Jones",
      subject: "Please reinstate my account",
      classification: "reinstatement",
      action: "request_submitted",
      folder: "processed",
      senderVerified: true,
      requestId: request!.id,
      processedAt: world.clock.now(),
    });
    expect(row.reason).toBe(outcome.reason);
    expect(row.authentication).toMatchObject({ verified: true, dmarc: { result: "pass" } });

    // A second copy (other bytes, same Message-ID) is a duplicate: no new row, no new request.
    const copy = Buffer.from(message.toString("latin1").replace("Subject: Please", "Subject: Fwd: Please"), "latin1");
    expect(await ingest(copy)).toMatchObject({ action: "duplicate", request: outcome.request, kind: "reinstatement" });
    expect(await world.db.select().from(tables.inboundMessages)).toHaveLength(2);
    expect(await world.db.select().from(tables.requests)).toHaveLength(1);

    // Staff read the list (newest first); a provider user may not.
    const list = await listInboundMessages({ db: world.db, viewer: await viewerFor(world, SAM) });
    expect(list.items.map((m) => [m.classification, m.request])).toEqual([
      ["auto_reply", null],
      ["reinstatement", outcome.request],
    ]);
    const refused = await appError(listInboundMessages({ db: world.db, viewer: await viewerFor(world, TOM) }));
    expect(refused.code).toBe("not_found");
  });

  it("migration 0013 moves the records portal_meta kept before the table, so those messages stay processed", async () => {
    const message = raw("reinstatement-authenticated.eml");
    const value = { at: "2026-05-01T08:00:00.000Z", kind: "reinstatement", folder: "processed", request: null };
    await world.db.insert(tables.portalMeta).values([
      { key: `intake:message-id:${sha256("reinstate-1@meadowbank-care.example.org")}`, value },
      { key: `intake:content:${sha256(message)}`, value },
    ]);
    const migration = readFileSync(path.resolve(__dirname, "../../../drizzle/0013_inbound_messages_legacy.sql"), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) await world.db.execute(sql.raw(statement));

    expect(await world.db.select().from(tables.portalMeta).where(like(tables.portalMeta.key, "intake:%"))).toEqual([]);
    const [moved] = await world.db.select().from(tables.inboundMessages);
    expect(moved).toMatchObject({ contentHash: sha256(message), messageIdHash: sha256("reinstate-1@meadowbank-care.example.org"), classification: "reinstatement", folder: "processed" });
    // Another copy by Message-ID alone is still recognised.
    const copy = Buffer.from(message.toString("latin1").replace("Subject: Please", "Subject: Fwd: Please"), "latin1");
    expect(await ingest(copy)).toMatchObject({ action: "duplicate" });
    expect(await world.db.select().from(tables.requests)).toHaveLength(0);
  });
});
