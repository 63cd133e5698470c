import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadRequestDetail } from "@/bots/slack/sync/request-view";
import { tables } from "@/lib/db";
import { ingestEmail } from "@/lib/intake/ingest-email";
import { approveRequest } from "@/lib/requests/approve-request";
import { confirmSender } from "@/lib/requests/confirm-sender";
import { getRequestDetail } from "@/lib/requests/queries";
import { readPayload } from "@/lib/requests/schema";
import { slackApprovalBlocker } from "@/lib/slack/rules";
import {
  accountByEmail,
  appError,
  BASE_URL,
  bringToInProgress,
  createRequestWorld,
  footprint,
  LEE,
  requestAudit,
  requestRow,
  SAM,
  staffOptions,
  viewerFor,
  type RequestWorld,
} from "@/tests/integration/requests/fixtures";
import { AUTHSERV_ID, fixture } from "./email-fixtures";

/**
 * UAP-A.8 sender checks: an emailed request whose sender failed authentication, or whose name
 * does not match the account, is queued with the evidence and a warning; approval — from the
 * portal, the CLI or Slack, which all go through lib/requests — is refused until a member of
 * staff confirms the sender, with a note, audited.
 */


describe("email intake sender checks (UAP-A.8)", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => world?.dispose());

  const ingest = (raw: Buffer) => ingestEmail({ db: world.db, clock: world.clock, config: world.config, raw, settings: { authservId: AUTHSERV_ID } });

  it("UAP-A.8 a reinstatement that failed authentication is queued with the SPF/DKIM/DMARC evidence, and approval is refused until staff confirm the sender", async () => {
    const outcome = await ingest(fixture("reinstatement-failed-authentication.eml"));
    expect(outcome).toMatchObject({ kind: "reinstatement", action: "request_submitted", folder: "processed", senderVerified: false, account: LEE });
    expect(outcome.reason).toContain("staff must confirm the sender");

    const lee = await accountByEmail(world.db, LEE);
    const [request] = await world.db.select().from(tables.requests).where(eq(tables.requests.subjectAccountId, lee.id));
    expect(request).toMatchObject({ type: "reinstatement", channel: "email", status: "received" });
    const sender = readPayload(request!.payload).sender!;
    expect(sender).toMatchObject({ email: LEE, authenticated: false, emailMatchesAccount: true, messageId: "forged-1@evil.example.com" });
    // Only the topmost header, written by the operator's server, is believed: the forged "pass" below it is not.
    expect(sender.authentication).toMatchObject({ verified: false, authservId: AUTHSERV_ID, spf: { result: "fail" }, dmarc: { result: "fail" }, reason: expect.stringContaining("DMARC failed") });
    const submitted = (await requestAudit(world.db, request!.id)).find((e) => e.action === "request.submitted");
    expect(submitted!.actorLabel).toContain("email sender not verified");

    // The staff page's data: the evidence, approval blocked with the reason, the confirm action offered.
    await bringToInProgress(world, request!.id);
    const detail = await getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM), requestId: request!.id });
    expect(detail.sender).toMatchObject({ authenticated: false });
    const checks = Object.fromEntries(detail.actions.map((a) => [a.action, a.check]));
    expect(checks.approve).toMatchObject({ ok: false, blockedBy: "rule", reason: expect.stringContaining("Confirm the sender") });
    expect(checks.confirm_sender).toMatchObject({ ok: true });

    // Web and CLI call approveRequest: refused, nothing changed.
    const before = await footprint(world.db);
    const refused = await appError(approveRequest({ ...(await staffOptions(world, SAM, request!.id)), baseUrl: BASE_URL }));
    expect(refused.code).toBe("refused");
    expect(refused.userMessage).toContain("Confirm the sender before approving");
    expect(await footprint(world.db)).toEqual(before);
    expect((await accountByEmail(world.db, LEE)).status).toBe("suspended");

    // Slack reads the same detail: its approve button answers with the reason, before doing anything.
    const slackView = await loadRequestDetail(world.db, world.clock, world.config, request!.id);
    const blocker = slackApprovalBlocker({ type: slackView.request.type, leadConfirmations: slackView.leadConfirmations, relatedSystems: undefined, sender: slackView.sender }, world.config);
    expect(blocker).toContain("confirm the sender in the portal");

    // A confirmation without a note is refused; nothing changes.
    const blank = await appError(confirmSender({ ...(await staffOptions(world, SAM, request!.id)), note: "   " }));
    expect(blank.code).toBe("validation");
    expect(blank.fieldErrors.note).toContain("Say how you confirmed the sender");
    expect(await footprint(world.db)).toEqual(before);

    const confirmed = await confirmSender({ ...(await staffOptions(world, SAM, request!.id)), note: "Called Lee on 01632 960001 (the number on file): Lee sent it." });
    expect(confirmed.confirmation).toMatchObject({ confirmedByLabel: "Sam Patel", channel: "web" });
    const audited = (await requestAudit(world.db, request!.id)).find((e) => e.action === "request.sender_confirmed");
    expect(audited).toMatchObject({ actorLabel: "Sam Patel", channel: "web" });
    expect(audited!.detail).toMatchObject({ confirmation: { note: expect.stringContaining("number on file") }, sender: { authenticated: false } });
    // Once is enough: a second confirmation is refused.
    const again = await appError(confirmSender({ ...(await staffOptions(world, SAM, request!.id)), note: "again" }));
    expect(again.userMessage).toContain("already confirmed");

    const slackAfter = await loadRequestDetail(world.db, world.clock, world.config, request!.id);
    expect(slackApprovalBlocker({ type: slackAfter.request.type, leadConfirmations: slackAfter.leadConfirmations, relatedSystems: undefined, sender: slackAfter.sender }, world.config)).toBeNull();
    const approved = await approveRequest({ ...(await staffOptions(world, SAM, request!.id)), baseUrl: BASE_URL });
    expect(approved.status).toBe("resolved");
    expect((await accountByEmail(world.db, LEE)).status).toBe("active");
  });

  it("UAP-A.8 an authenticated sender whose display name is not the account holder's is queued with the mismatch, to be confirmed", async () => {
    const outcome = await ingest(fixture("reinstatement-authenticated.eml", { "Lee Jones <": "Someone Else <", "reinstate-1@": "reinstate-name@" }));
    expect(outcome).toMatchObject({ action: "request_submitted", senderVerified: true });
    const row = await requestRow(world.db, (await world.db.select({ id: tables.requests.id }).from(tables.requests))[0]!.id);
    expect(readPayload(row.payload).sender).toMatchObject({ authenticated: true, emailMatchesAccount: true, nameMatchesAccount: false });
    await bringToInProgress(world, row.id);
    const refused = await appError(approveRequest({ ...(await staffOptions(world, SAM, row.id)), baseUrl: BASE_URL }));
    expect(refused.userMessage).toContain("Confirm the sender");
  });

  it("UAP-A.8 an authenticated sender matching the account needs no confirmation; one with no account at all makes no request", async () => {
    const good = await ingest(fixture("reinstatement-authenticated.eml"));
    expect(good).toMatchObject({ action: "request_submitted", senderVerified: true });
    const [row] = await world.db.select().from(tables.requests);
    await bringToInProgress(world, row!.id);
    const noConfirm = await appError(confirmSender({ ...(await staffOptions(world, SAM, row!.id)), note: "not needed" }));
    expect(noConfirm.code).toBe("refused");
    expect((await approveRequest({ ...(await staffOptions(world, SAM, row!.id)), baseUrl: BASE_URL })).status).toBe("resolved");

    const spoof = await ingest(fixture("reinstatement-display-name-spoof.eml"));
    expect(spoof).toMatchObject({ action: "needs_attention", account: null });
    expect(await world.db.select().from(tables.requests)).toHaveLength(1);
  });
});
