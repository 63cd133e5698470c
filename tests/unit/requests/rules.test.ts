import { describe, expect, it } from "vitest";
import {
  actionRules,
  availableActions,
  canMove,
  checkAction,
  defaultPriority,
  formatDueTime,
  formatReference,
  isPastAction,
  licenceAlertDue,
  licenceAvailable,
  lifecycle,
  missingLeadConfirmations,
  needsRelatedSystemsChecklist,
  outstandingRelatedSystems,
  parseReference,
  refusedPurposeTerm,
  relatedSystemsFor,
  requestTitle,
  serviceDay,
  serviceDayBounds,
  slaOutcome,
  slaWorkingDaysFor,
  staffActions,
  type RequestStatus,
} from "@/lib/requests/rules";
import { requestStatuses } from "@/lib/db/schema/requests";
import { requestTestConfig } from "./request-config";

const config = requestTestConfig();

describe("lifecycle", () => {
  it("UCP-HD-1 moves received → prioritised → assigned → in_progress → resolved | rejected → closed → archived", () => {
    const path: RequestStatus[] = ["received", "prioritised", "assigned", "in_progress", "resolved", "closed", "archived"];
    for (let i = 0; i < path.length - 1; i++) expect(canMove(path[i]!, path[i + 1]!)).toBe(true);
    expect(canMove("in_progress", "rejected")).toBe(true);
    expect(canMove("rejected", "closed")).toBe(true);
  });

  it("UCP-HD-1 allows no step to be skipped and nothing out of archived", () => {
    expect(canMove("received", "assigned")).toBe(false);
    expect(canMove("received", "resolved")).toBe(false);
    expect(canMove("prioritised", "in_progress")).toBe(false);
    expect(canMove("resolved", "archived")).toBe(false);
    expect(canMove("closed", "received")).toBe(false);
    expect(lifecycle.archived).toEqual([]);
  });

  it("UCP-HD-1 every action's target is a move the lifecycle allows (or staying put)", () => {
    for (const action of staffActions) {
      for (const from of actionRules[action].from) {
        const to = actionRules[action].to(from);
        expect(to === from || canMove(from, to), `${action} from ${from} to ${to}`).toBe(true);
      }
    }
  });

  it("UCP-HD-1 any open request can be rejected; only an in-progress one approved", () => {
    for (const status of ["received", "prioritised", "assigned", "in_progress"] as const) {
      expect(checkAction("reject", { type: "new_user", status }, config)).toEqual({ ok: true, to: "rejected" });
    }
    expect(checkAction("approve", { type: "new_user", status: "in_progress" }, config)).toEqual({ ok: true, to: "resolved" });
    expect(checkAction("approve", { type: "new_user", status: "assigned" }, config)).toMatchObject({ ok: false, blockedBy: "status" });
  });

  it("UCP-HD-1 prioritising a received request moves it on; re-prioritising keeps the status", () => {
    expect(checkAction("prioritise", { type: "role_change", status: "received" }, config)).toEqual({ ok: true, to: "prioritised" });
    expect(checkAction("prioritise", { type: "role_change", status: "in_progress" }, config)).toEqual({ ok: true, to: "in_progress" });
    expect(checkAction("prioritise", { type: "role_change", status: "resolved" }, config)).toMatchObject({ ok: false });
  });

  it("UCP-HD-1 reassigning an in-progress request puts it back to assigned", () => {
    expect(checkAction("assign", { type: "role_change", status: "in_progress" }, config)).toEqual({ ok: true, to: "assigned" });
    expect(checkAction("assign", { type: "role_change", status: "received" }, config)).toMatchObject({ ok: false, blockedBy: "status" });
  });

  it("tells 'someone acted first' from 'too early'", () => {
    expect(isPastAction("approve", "resolved")).toBe(true);
    expect(isPastAction("approve", "rejected")).toBe(true);
    expect(isPastAction("approve", "assigned")).toBe(false);
    expect(isPastAction("start", "in_progress")).toBe(true);
    expect(isPastAction("close", "archived")).toBe(true);
  });

  it("lists every staff action with whether it is possible now", () => {
    const actions = availableActions({ type: "new_user", status: "assigned" }, config);
    expect(actions.map((a) => a.action)).toEqual([...staffActions]);
    expect(actions.filter((a) => a.check.ok).map((a) => a.action)).toEqual(["prioritise", "assign", "start", "reject", "note"]);
  });

  it("covers every status in the lifecycle table", () => {
    expect(Object.keys(lifecycle).sort()).toEqual([...requestStatuses].sort());
  });
});

describe("priority and SLA", () => {
  it("CC-7g a leaver's suspension is urgent; other suspensions high", () => {
    expect(defaultPriority({ type: "suspension", reason: "leaver" })).toBe("urgent");
    expect(defaultPriority({ type: "suspension", reason: "no_longer_needed" })).toBe("high");
  });

  it("CC-7g other requests default to normal, a Lead change to high", () => {
    expect(defaultPriority({ type: "new_user" })).toBe("normal");
    expect(defaultPriority({ type: "role_change" })).toBe("normal");
    expect(defaultPriority({ type: "reinstatement" })).toBe("normal");
    expect(defaultPriority({ type: "end_date_change" })).toBe("normal");
    expect(defaultPriority({ type: "lead_change" })).toBe("high");
  });

  it("CC-5 urgent requests are due in one working day, others in the configured number", () => {
    expect(slaWorkingDaysFor("urgent", { slaWorkingDays: 5 })).toBe(1);
    expect(slaWorkingDaysFor("high", { slaWorkingDays: 5 })).toBe(5);
    expect(slaWorkingDaysFor("normal", { slaWorkingDays: 3 })).toBe(3);
  });

  it("CC-5 an actioned request is within SLA up to and including its due time", () => {
    const due = new Date("2026-05-11T09:00:00Z");
    expect(slaOutcome(due, new Date("2026-05-11T09:00:00Z"))).toBe("within");
    expect(slaOutcome(due, new Date("2026-05-11T09:00:01Z"))).toBe("late");
  });

  it("reads service days in the service's time zone (BST)", () => {
    expect(serviceDay(new Date("2026-05-11T23:30:00Z"), "Europe/London")).toBe("2026-05-12");
    const { start, end } = serviceDayBounds(new Date("2026-05-11T12:00:00Z"), "Europe/London");
    expect(start.toISOString()).toBe("2026-05-10T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-05-11T22:59:59.999Z");
    expect(formatDueTime(new Date("2026-05-11T09:00:00Z"), "Europe/London")).toBe("Monday 11 May 2026 at 10:00");
  });
});

describe("titles and references", () => {
  it("CC-4 the title names the type and the user's full name", () => {
    expect(requestTitle("new_user", "Jane  Doe ")).toBe("New user – Jane Doe");
    expect(requestTitle("suspension", "Tom Baker")).toBe("Suspension – Tom Baker");
    expect(requestTitle("lead_change", "Ola Nowak")).toBe("Lead correspondent change – Ola Nowak");
  });

  it("formats and reads REQ-000123", () => {
    expect(formatReference(123)).toBe("REQ-000123");
    expect(formatReference(1234567)).toBe("REQ-1234567");
    expect(parseReference("REQ-000123")).toBe(123);
    expect(parseReference(" req-42 ")).toBe(42);
    expect(parseReference("123")).toBe(123);
    expect(parseReference("REQ-0")).toBeNull();
    expect(parseReference("REQ-12a")).toBeNull();
    expect(parseReference("")).toBeNull();
  });
});

describe("related systems and Lead confirmations", () => {
  it("UAP-A.2b the checklist comes from configuration, per request type", () => {
    expect(relatedSystemsFor("suspension", config).map((s) => s.key)).toEqual(["directory", "call_monitoring"]);
    expect(needsRelatedSystemsChecklist("lead_change", config)).toBe(true);
    expect(needsRelatedSystemsChecklist("new_user", config)).toBe(false);
    const none = requestTestConfig({ requests: { ...config.requests, relatedSystems: [] } });
    expect(needsRelatedSystemsChecklist("suspension", none)).toBe(false);
  });

  it("UAP-A.2b a resolved request closes only when every related system is ticked", () => {
    const blocked = checkAction("close", { type: "suspension", status: "resolved", relatedSystems: { directory: { doneAt: "x" } } }, config);
    expect(blocked).toMatchObject({ ok: false, blockedBy: "rule" });
    expect(!blocked.ok && blocked.reason).toContain("Electronic call monitoring");
    expect(outstandingRelatedSystems("suspension", { directory: {} }, config).map((s) => s.key)).toEqual(["call_monitoring"]);
    expect(checkAction("close", { type: "suspension", status: "resolved", relatedSystems: { directory: {}, call_monitoring: {} } }, config)).toEqual({ ok: true, to: "closed" });
  });

  it("UAP-A.2b a rejected request changed nothing, so it closes without the checklist", () => {
    expect(checkAction("close", { type: "suspension", status: "rejected" }, config)).toEqual({ ok: true, to: "closed" });
  });

  it("UAP-A.2b systems are ticked only on types that have them, while in progress or resolved", () => {
    expect(checkAction("tick_related_system", { type: "new_user", status: "in_progress" }, config)).toMatchObject({ ok: false, blockedBy: "rule" });
    expect(checkAction("tick_related_system", { type: "suspension", status: "received" }, config)).toMatchObject({ ok: false, blockedBy: "status" });
    expect(checkAction("tick_related_system", { type: "suspension", status: "resolved" }, config)).toEqual({ ok: true, to: "resolved" });
  });

  it("UAP-A.3 a Lead change is approved only with both the telephone and the email confirmation", () => {
    expect(missingLeadConfirmations(undefined)).toEqual(["telephone", "email"]);
    const one = checkAction("approve", { type: "lead_change", status: "in_progress", leadConfirmations: { telephone: {} } }, config);
    expect(one).toMatchObject({ ok: false, blockedBy: "rule" });
    expect(!one.ok && one.reason).toContain("email confirmation");
    expect(checkAction("approve", { type: "lead_change", status: "in_progress", leadConfirmations: { telephone: {}, email: {} } }, config)).toEqual({ ok: true, to: "resolved" });
  });

  it("UAP-A.3 confirmations are recorded on Lead changes only", () => {
    expect(checkAction("record_confirmation", { type: "role_change", status: "in_progress" }, config)).toMatchObject({ ok: false, blockedBy: "rule" });
    expect(checkAction("record_confirmation", { type: "lead_change", status: "received" }, config)).toEqual({ ok: true, to: "received" });
  });
});

describe("purpose and licences", () => {
  const terms = config.requests.refusedPurposeTerms;
  it.each([
    ["To take part in a research project", "research"],
    ["Researchers evaluating outcomes", "research"],
    ["An AUDIT   STUDY of falls", "audit study"],
    ["Marketing our services", "marketing"],
  ])("CC-2b refuses %j (mentions %s)", (purpose, term) => {
    expect(refusedPurposeTerm(purpose, terms)).toBe(term);
  });

  it.each(["Coordinating home care visits for our service users", "Booking care packages", "Direct care: medication rounds"])("CC-2b accepts direct care: %j", (purpose) => {
    expect(refusedPurposeTerm(purpose, terms)).toBeNull();
  });

  it("CC-2b matches whole words from their start, so 'search' in other words does not trip 'research'", () => {
    expect(refusedPurposeTerm("Searching care plans for our clients", ["research"])).toBeNull();
  });

  it("CC-2a a licence is available below the allocation only", () => {
    expect(licenceAvailable({ allocation: 25, used: 24 })).toBe(true);
    expect(licenceAvailable({ allocation: 25, used: 25 })).toBe(false);
    expect(licenceAvailable({ allocation: 0, used: 0 })).toBe(false);
  });

  it("CC-2a alerts once when use first reaches the threshold", () => {
    expect(licenceAlertDue({ allocation: 10, used: 8 }, 90, null)).toBe(false);
    expect(licenceAlertDue({ allocation: 10, used: 9 }, 90, null)).toBe(true);
    expect(licenceAlertDue({ allocation: 10, used: 10 }, 90, 90)).toBe(false);
    expect(licenceAlertDue({ allocation: 0, used: 0 }, 90, null)).toBe(false);
  });
});
