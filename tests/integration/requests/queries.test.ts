import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { addRequestNote } from "@/lib/requests/add-request-note";
import { approveRequest } from "@/lib/requests/approve-request";
import { getRequestDetail, listOrganisationRequests, listQueue, queueDashboard } from "@/lib/requests/queries";
import { rejectRequest } from "@/lib/requests/reject-request";
import type { SubmittedRequest } from "@/lib/requests/submit-request";
import {
  AMINA,
  BASE_URL,
  CHRIS,
  PRIYA,
  SAM,
  TOM,
  TUESDAY,
  accountByEmail,
  appError,
  bringToInProgress,
  createProvider,
  createRequestWorld,
  newUserInput,
  staffOptions,
  submitAs,
  viewerFor,
  type RequestWorld,
} from "./fixtures";

/** The read models: the staff queue (UCP-HD-1), its dashboard and SLA record (CC-5), a request in full, a provider's own requests. */

let world: RequestWorld;
const made: Record<string, SubmittedRequest> = {};

async function at(time: string, work: () => Promise<SubmittedRequest>): Promise<SubmittedRequest> {
  world.clock.set(time);
  try {
    return await work();
  } finally {
    world.clock.set(TUESDAY);
  }
}

beforeAll(async () => {
  world = await createRequestWorld();
  const amina = await accountByEmail(world.db, AMINA);
  // Open, received Monday 20 April: due Monday 27 April, so overdue now (Tuesday 5 May 10:00).
  made.overdue = await at("2026-04-20T09:00:00.000Z", () => submitAs(world, newUserInput({ fullName: "Olive Overdue" })));
  // Open, received Monday 27 April 13:00: due today, 13:00.
  made.dueToday = await at("2026-04-27T12:00:00.000Z", () => submitAs(world, newUserInput({ fullName: "Tess Today" })));
  // Open and urgent, received now: due tomorrow 10:00.
  made.urgent = await submitAs(world, { type: "suspension", subjectAccountId: amina.id, reason: "leaver" });
  // Actioned within SLA (approved now, received now) and late (received 1 April, approved now).
  made.within = await submitAs(world, newUserInput({ fullName: "Wendy Within" }));
  made.late = await at("2026-04-01T09:00:00.000Z", () => submitAs(world, newUserInput({ fullName: "Larry Late" })));
  made.rejected = await submitAs(world, newUserInput({ fullName: "Rita Rejected" }));
  for (const key of ["within", "late"]) {
    await bringToInProgress(world, made[key]!.requestId);
    await approveRequest({ ...(await staffOptions(world, SAM, made[key]!.requestId)), baseUrl: BASE_URL });
  }
  await rejectRequest({ ...(await staffOptions(world, SAM, made.rejected.requestId)), reason: "Not needed" });
  await addRequestNote({ ...(await staffOptions(world, SAM, made.overdue.requestId)), body: "Chased the Lead correspondent for the job title." });
});
afterAll(async () => {
  await world?.dispose();
});

const references = (rows: { reference: string }[]) => rows.map((r) => r.reference);

describe("the queue", () => {
  it("UCP-HD-1 lists open requests by due time, with their SLA standing (CC-5)", async () => {
    const page = await listQueue({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM) });
    expect(references(page.rows)).toEqual([made.overdue!.reference, made.dueToday!.reference, made.urgent!.reference]);
    expect(page.rows.map((r) => r.sla)).toEqual(["overdue", "due_today", "on_track"]);
    expect(page.rows[0]).toMatchObject({ organisationName: "Meadowbank Care Ltd", title: "New user – Olive Overdue", typeLabel: "New user", assigneeName: null });
    expect(page.rows[2]).toMatchObject({ subjectName: "Amina Okafor", priority: "urgent" });
    expect(page).toMatchObject({ total: 3, page: 1, pageCount: 1 });
  });

  it("CC-5 filters overdue and due today", async () => {
    const options = { db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM) };
    expect(references((await listQueue({ ...options, filters: { due: "overdue" } })).rows)).toEqual([made.overdue!.reference]);
    expect(references((await listQueue({ ...options, filters: { due: "today" } })).rows)).toEqual([made.dueToday!.reference]);
  });

  it("filters by type, status, organisation and assignee; sorts by priority and receipt; pages", async () => {
    const options = { db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, CHRIS) };
    const sam = await accountByEmail(world.db, SAM);
    expect(references((await listQueue({ ...options, filters: { type: "suspension" } })).rows)).toEqual([made.urgent!.reference]);
    expect(references((await listQueue({ ...options, filters: { status: "resolved" }, sort: "received" })).rows)).toEqual([made.late!.reference, made.within!.reference]);
    expect((await listQueue({ ...options, filters: { status: "all" } })).total).toBe(6);
    expect((await listQueue({ ...options, filters: { status: "all", assigneeId: sam.id } })).total).toBe(2);
    expect((await listQueue({ ...options, filters: { assigneeId: "unassigned" } })).total).toBe(3);
    expect((await listQueue({ ...options, filters: { organisationId: world.meadowbankId, status: ["resolved", "rejected"] } })).total).toBe(3);
    expect(references((await listQueue({ ...options, sort: "priority" })).rows)[0]).toBe(made.urgent!.reference);
    const second = await listQueue({ ...options, pageSize: 2, page: 2 });
    expect(second).toMatchObject({ total: 3, page: 2, pageCount: 2 });
    expect(references(second.rows)).toEqual([made.urgent!.reference]);
    expect((await listQueue({ ...options, pageSize: 2, page: 99 })).page).toBe(2);
  });

  it("UAP-2.3 is for operator staff only", async () => {
    for (const email of [PRIYA, TOM]) {
      const viewer = await viewerFor(world, email);
      expect((await appError(listQueue({ db: world.db, clock: world.clock, config: world.config, viewer }))).code).toBe("forbidden");
      expect((await appError(queueDashboard({ db: world.db, clock: world.clock, config: world.config, viewer }))).code).toBe("forbidden");
    }
  });

  it("CC-5 the dashboard counts by status, due today, overdue and the last 30 days' SLA record", async () => {
    const dashboard = await queueDashboard({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM) });
    expect(dashboard.byStatus).toEqual({ received: 3, prioritised: 0, assigned: 0, in_progress: 0, resolved: 2, rejected: 1, closed: 0, archived: 0 });
    expect(dashboard).toMatchObject({ open: 3, unassigned: 3, overdue: 1, dueToday: 1 });
    expect(dashboard.sla30).toMatchObject({ within: 2, late: 1, total: 3, percentWithin: 66.7 });
  });

  it("keeps a page to its size on a long queue", async () => {
    const other = await createProvider(world);
    const now = world.clock.now();
    await world.db.insert(tables.requests).values(
      Array.from({ length: 60 }, (_, i) => ({
        type: "new_user" as const,
        title: `New user – Bulk ${i}`,
        organisationId: other.organisation.id,
        channel: "web" as const,
        payload: { details: {}, requester: { accountId: null, fullName: "x", email: "x@nhs.net", as: "authoriser" } },
        receivedAt: now,
        dueAt: new Date(now.getTime() + (i + 1) * 60_000),
      })),
    );
    const page = await listQueue({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM), filters: { organisationId: other.organisation.id }, page: 3 });
    expect(page).toMatchObject({ total: 60, page: 3, pageCount: 3, pageSize: 25 });
    expect(page.rows).toHaveLength(10);
    expect(page.rows[0]?.title).toBe("New user – Bulk 50");
  });
});

describe("one request", () => {
  it("UAP-4.4 AUP-5.2e staff see the request, its people, notes, audit history and next actions", async () => {
    const detail = await getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM), requestId: made.within!.requestId });
    expect(detail.request).toMatchObject({ reference: made.within!.reference, status: "resolved", sla: "within", typeLabel: "New user" });
    expect(detail.organisation.name).toBe("Meadowbank Care Ltd");
    expect(detail.subject).toMatchObject({ fullName: "Wendy Within", status: "pending", roles: ["care_coordinator"] });
    expect(detail.assignee?.fullName).toBe("Sam Patel");
    expect(detail.requester).toMatchObject({ fullName: "Priya Shah", as: "authoriser" });
    expect(detail.history.map((h) => h.action)).toEqual(["request.submitted", "request.prioritised", "request.assigned", "request.started", "account.created", "request.resolved"]);
    expect(detail.history[0]?.detail).toMatchObject({ reference: made.within!.reference });
    expect(detail.actions.filter((a) => a.check.ok).map((a) => a.action)).toEqual(["close", "note"]);
    expect(detail.outcome).toMatchObject({ status: "pending" });

    const withNote = await getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM), requestId: made.overdue!.requestId });
    expect(withNote.notes.map((n) => n.body)).toEqual(["Chased the Lead correspondent for the job title."]);
  });

  it("AUP-5.2d the organisation's Lead correspondent sees its request without internal notes or their details", async () => {
    const detail = await getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, PRIYA), requestId: made.overdue!.requestId });
    expect(detail.notes).toEqual([]);
    expect(detail.actions).toEqual([]);
    expect(detail.history.map((h) => h.action)).toEqual(["request.submitted"]);
    expect(detail.history[0]).not.toHaveProperty("detail");
  });

  it("AUP-5.2d nobody else can see it, and cannot tell it exists", async () => {
    const other = await createProvider(world);
    const outsider = { accountId: other.lead.id, audience: "provider" as const, organisationId: other.organisation.id, grants: { users: "edit" as const } };
    for (const viewer of [outsider, await viewerFor(world, TOM)]) {
      const error = await appError(getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer, requestId: made.overdue!.requestId }));
      expect(error.code).toBe("not_found");
    }
    expect((await appError(getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM), requestId: "00000000-0000-4000-8000-000000000000" }))).code).toBe("not_found");
  });

  it("UAP-A.3 UAP-A.2b a Lead change shows the confirmations still missing and its related-systems checklist", async () => {
    const other = await createProvider(world);
    const submitted = await submitAs(world, { type: "lead_change", newLead: "new", fullName: "Nell New", email: `nell.${other.organisation.odsCode.toLowerCase()}@nhs.net`, jobTitle: "Manager", outgoingLead: "suspend" }, other.lead.email);
    const detail = await getRequestDetail({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, SAM), requestId: submitted.requestId });
    expect(detail.missingConfirmations).toEqual(["telephone", "email"]);
    expect(detail.relatedSystems).toEqual([
      { key: "directory", name: "Provider directory profile", tick: null },
      { key: "call_monitoring", name: "Electronic call monitoring", tick: null },
    ]);
    expect(detail.actions.find((a) => a.action === "record_confirmation")?.check.ok).toBe(true);
  });
});

describe("an organisation's requests (provider portal)", () => {
  it("UAP-2.1 the Lead correspondent sees each of their organisation's requests with its status and history", async () => {
    const page = await listOrganisationRequests({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, PRIYA), organisationId: world.meadowbankId });
    expect(page.total).toBe(6);
    const within = page.rows.find((r) => r.reference === made.within!.reference);
    expect(within).toMatchObject({ status: "resolved", sla: "within", requestedByName: "Priya Shah" });
    expect(within?.history.map((h) => h.action)).toEqual(["request.submitted", "request.prioritised", "request.assigned", "request.started", "request.resolved"]);
    expect(page.rows.find((r) => r.reference === made.rejected!.reference)).toMatchObject({ status: "rejected", resolution: "Not needed" });
    expect(page.rows.find((r) => r.reference === made.overdue!.reference)?.history.map((h) => h.action)).toEqual(["request.submitted"]);
  });

  it("AUP-5.2d another organisation's, or a user without users access, get nothing", async () => {
    const other = await createProvider(world);
    expect((await appError(listOrganisationRequests({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, PRIYA), organisationId: other.organisation.id }))).code).toBe("forbidden");
    expect((await appError(listOrganisationRequests({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, TOM), organisationId: world.meadowbankId }))).code).toBe("forbidden");
    const staff = await listOrganisationRequests({ db: world.db, clock: world.clock, config: world.config, viewer: await viewerFor(world, CHRIS), organisationId: world.meadowbankId });
    expect(staff.total).toBe(6);
  });
});
