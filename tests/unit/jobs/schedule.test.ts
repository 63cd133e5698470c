import { describe, expect, it } from "vitest";
import { dailyAt, describeSchedule, every, isDue, latestSlot, nextRunAt, nextSlot, RETRY_AFTER_FAILURE_MS, type RunHistory } from "@/lib/jobs/schedule";

const never: RunHistory = { lastOkAt: null, lastAttempt: null };
const okAt = (iso: string): RunHistory => ({ lastOkAt: new Date(iso), lastAttempt: { startedAt: new Date(iso), status: "ok" } });

describe("job schedules", () => {
  it("describes themselves for staff", () => {
    expect(describeSchedule(every(15))).toBe("every 15 minutes");
    expect(describeSchedule(every(1))).toBe("every minute");
    expect(describeSchedule(every(60))).toBe("every hour");
    expect(describeSchedule(every(120))).toBe("every 2 hours");
    expect(describeSchedule(dailyAt("06:00"))).toBe("daily at 06:00 (Europe/London)");
  });

  it("refuse nonsense", () => {
    expect(() => every(0)).toThrow();
    expect(() => every(1.5)).toThrow();
    expect(() => dailyAt("6am")).toThrow();
    expect(() => dailyAt("24:00")).toThrow();
  });

  it("put interval slots on the clock's multiples", () => {
    expect(latestSlot(every(15), new Date("2026-05-04T09:14:59.999Z"))).toEqual(new Date("2026-05-04T09:00:00.000Z"));
    expect(latestSlot(every(15), new Date("2026-05-04T09:15:00.000Z"))).toEqual(new Date("2026-05-04T09:15:00.000Z"));
    expect(nextSlot(every(60), new Date("2026-05-04T09:15:00.000Z"))).toEqual(new Date("2026-05-04T10:00:00.000Z"));
  });

  it.each([
    // [now, latest 06:00 London slot] — GMT in winter, BST in summer, across both changes of the clocks.
    ["2026-01-15T12:00:00.000Z", "2026-01-15T06:00:00.000Z"],
    ["2026-01-15T05:59:00.000Z", "2026-01-14T06:00:00.000Z"],
    ["2026-05-04T05:00:00.000Z", "2026-05-04T05:00:00.000Z"],
    ["2026-05-04T04:59:59.000Z", "2026-05-03T05:00:00.000Z"],
    ["2026-03-29T12:00:00.000Z", "2026-03-29T05:00:00.000Z"], // the day BST begins
    ["2026-03-29T05:30:00.000Z", "2026-03-29T05:00:00.000Z"],
    ["2026-10-25T06:30:00.000Z", "2026-10-25T06:00:00.000Z"], // the day BST ends
    ["2026-10-25T05:30:00.000Z", "2026-10-24T05:00:00.000Z"],
  ])("put a daily 06:00 Europe/London slot at the right instant (now %s)", (now, slot) => {
    expect(latestSlot(dailyAt("06:00"), new Date(now))).toEqual(new Date(slot));
  });

  it("find the next daily slot across a change of the clocks", () => {
    expect(nextSlot(dailyAt("06:00"), new Date("2026-03-28T12:00:00.000Z"))).toEqual(new Date("2026-03-29T05:00:00.000Z"));
    expect(nextSlot(dailyAt("00:15"), new Date("2026-05-04T09:00:00.000Z"))).toEqual(new Date("2026-05-04T23:15:00.000Z"));
  });

  it("are due when no run succeeded since the latest slot, so a missed slot is caught up", () => {
    const daily = dailyAt("06:00");
    expect(isDue(daily, never, new Date("2026-05-04T09:00:00.000Z"))).toBe(true);
    expect(isDue(daily, okAt("2026-05-04T05:00:00.000Z"), new Date("2026-05-04T09:00:00.000Z"))).toBe(false);
    expect(isDue(daily, okAt("2026-05-04T04:59:00.000Z"), new Date("2026-05-04T09:00:00.000Z"))).toBe(true);
    expect(isDue(daily, okAt("2026-05-01T05:00:00.000Z"), new Date("2026-05-04T09:00:00.000Z"))).toBe(true); // three days down
    expect(isDue(every(15), okAt("2026-05-04T09:00:10.000Z"), new Date("2026-05-04T09:14:00.000Z"))).toBe(false);
    expect(isDue(every(15), okAt("2026-05-04T09:00:10.000Z"), new Date("2026-05-04T09:15:00.000Z"))).toBe(true);
  });

  it("wait after a failure before the schedule tries again", () => {
    const failedAt = new Date("2026-05-04T09:00:00.000Z");
    const history: RunHistory = { lastOkAt: null, lastAttempt: { startedAt: failedAt, status: "failed" } };
    expect(isDue(every(1), history, new Date(failedAt.getTime() + 60_000))).toBe(false);
    expect(nextRunAt(every(1), history, new Date(failedAt.getTime() + 60_000))).toEqual(new Date(failedAt.getTime() + RETRY_AFTER_FAILURE_MS));
    expect(isDue(every(1), history, new Date(failedAt.getTime() + RETRY_AFTER_FAILURE_MS))).toBe(true);
  });

  it("say when they run next", () => {
    const now = new Date("2026-05-04T09:20:00.000Z");
    expect(nextRunAt(every(15), never, now)).toEqual(now);
    expect(nextRunAt(every(15), okAt("2026-05-04T09:15:01.000Z"), now)).toEqual(new Date("2026-05-04T09:30:00.000Z"));
    expect(nextRunAt(dailyAt("07:00"), okAt("2026-05-04T06:00:30.000Z"), now)).toEqual(new Date("2026-05-05T06:00:00.000Z"));
  });
});
