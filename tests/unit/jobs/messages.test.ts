import { describe, expect, it } from "vitest";
import { mergeConfig, validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { endDateWarningMessage, inactivityWarningMessage, slaEscalationMessage, trainingExpiredMessage } from "@/lib/jobs/messages";

const config = validateConfig(mergeConfig(councilProfile, {}));
const kate = { id: "7d0d5a5e-1a49-4c55-9a43-3f1f4bb3c2a1", fullName: "Kate Ellis", email: "kate.ellis@meadowbank-care.example.org" };

describe("the jobs' emails", () => {
  it("CC-7c the end-date warning names the day and links the Lead correspondent to an extension request", () => {
    const message = endDateWarningMessage(config, "https://portal.example.org", kate, ["priya.shah@meadowbank-care.example.org"], "2026-05-11");
    expect(message).toMatchObject({ kind: "end_date_warning", to: [kate.email], cc: ["priya.shah@meadowbank-care.example.org"], idempotencyKey: `end_date_warning:${kate.id}:2026-05-11` });
    expect(message.subject).toContain("Monday 11 May 2026");
    expect(message.text).toContain(`https://portal.example.org/portal/requests/new/end_date_change?account=${kate.id}`);
  });

  it("UAP-4.3b the inactivity warning gives the last day to sign in, in London", () => {
    const message = inactivityWarningMessage(config, "https://portal.example.org", kate, "2026-05-04T09:00:00.000Z", new Date("2026-07-03T23:30:00Z"));
    expect(message.subject).toContain("Saturday 4 July 2026");
    expect(message.text).toContain("https://portal.example.org/sign-in");
  });

  it("CC-7f the training alert says when it was done and when it expired", () => {
    const message = trainingExpiredMessage(config, kate, [], "2025-05-04", "2026-05-04");
    expect(message.text).toContain("completed on Sunday 4 May 2025");
    expect(message.text).toContain("expired on Monday 4 May 2026");
  });

  it("CC-5 an escalation lists at most 100 requests and links the queue", () => {
    const requests = Array.from({ length: 120 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      reference: `REQ-${String(i + 1).padStart(6, "0")}`,
      title: `New user – Person ${i}`,
      organisationName: "Meadowbank Care Ltd",
      dueAt: new Date("2026-05-08T15:00:00Z"),
      assignee: null,
    }));
    const message = slaEscalationMessage(config, "https://portal.example.org", "overdue", requests, ["alex.morgan@council.example.org"], new Date("2026-05-08T16:00:00Z"));
    expect(message.subject).toBe("120 requests are past the 5-working-day service level");
    expect(message.text).toContain("REQ-000100");
    expect(message.text).not.toContain("REQ-000101");
    expect(message.text).toContain("… and 20 more.");
    expect(message.text).toContain("https://portal.example.org/staff/requests?due=overdue");
    expect(message.requestId).toBeNull();
  });
});
