import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/events";
import * as tables from "@/lib/db/schema";
import { checkLicenceAlert } from "@/lib/organisations/licence-alert";
import { setLicenceAllocation } from "@/lib/organisations/set-licence-allocation";
import { footprint } from "../requests/fixtures";
import { ALEX, appError, CHRIS, createRequestWorld, mailTo, organisationAudit, PRIYA, SAM, staffAs, type RequestWorld } from "./fixtures";

/** Meadowbank holds 5 licences (Priya, Tom, Amina, Kate and Dan pending; Lee is suspended) of its 25 for 2026. */
const MAILBOX = "brokerage@council.example.org";

describe("licences", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => {
    await world?.dispose();
  });

  async function allocationRow() {
    const [row] = await world.db
      .select()
      .from(tables.licenceAllocations)
      .where(and(eq(tables.licenceAllocations.organisationId, world.meadowbankId), eq(tables.licenceAllocations.year, 2026)));
    return row!;
  }

  it("CC-2a staff with edit rights on organisations raise the allocation, audited with before and after", async () => {
    const change = await setLicenceAllocation({ ...(await staffAs(world, SAM)), organisationId: world.meadowbankId, input: { allocation: "40", reason: "Second branch opened" } });
    expect(change).toMatchObject({ year: 2026, before: 25, after: 40, used: 5, alert: "none" });
    expect((await allocationRow()).allocation).toBe(40);
    const [event] = await organisationAudit(world.db, world.meadowbankId, "organisation.licence_allocation_changed");
    expect(event).toMatchObject({ actorLabel: "Sam Patel", channel: "web" });
    expect(event!.detail).toEqual({ year: 2026, before: { allocation: 25, recorded: true }, after: { allocation: 40 }, reason: "Second branch opened" });

    // Next year's, where none is recorded yet: before is the configured default.
    const next = await setLicenceAllocation({ ...(await staffAs(world, SAM)), organisationId: world.meadowbankId, input: { year: "2027", allocation: "30" } });
    expect(next).toMatchObject({ year: 2027, before: world.config.licences.defaultAllocation, after: 30 });
  });

  it("CC-2a the allocation cannot go below the licences accounts already hold, and only staff with edit rights change it", async () => {
    const below = await appError(setLicenceAllocation({ ...(await staffAs(world, SAM)), organisationId: world.meadowbankId, input: { allocation: "4" } }));
    expect(below.code).toBe("refused");
    expect(below.fieldErrors.allocation).toMatch(/cannot be less than 5/);
    const before = await footprint(world.db);
    for (const who of [CHRIS, PRIYA]) {
      const refused = await appError(setLicenceAllocation({ ...(await staffAs(world, who)), organisationId: world.meadowbankId, input: { allocation: "99" } }));
      expect(refused.code, who).toBe("forbidden");
    }
    expect(await footprint(world.db)).toEqual(before);
    expect((await allocationRow()).allocation).toBe(25);
  });

  it("CC-2a the threshold alert goes to the Lead correspondent and staff once per crossing, and again after use falls back under it", async () => {
    const staff = await staffAs(world, ALEX);
    // 5 of 5: over the 90 % threshold.
    expect((await setLicenceAllocation({ ...staff, organisationId: world.meadowbankId, input: { allocation: "5" } })).alert).toBe("alert");
    let alerts = await mailTo(world.db, PRIYA, "licence_alert");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.to).toEqual([PRIYA, MAILBOX]);
    expect(alerts[0]!.subject).toBe("Meadowbank Care Ltd has used 5 of its 5 licences for 2026");
    expect((await allocationRow()).alertedAt).toBe(90);

    // The job's check, however often it runs, does not alert again while use stays over.
    const job = systemActor("job", "Licence alerts");
    for (let i = 0; i < 2; i++) {
      const again = await world.db.transaction((tx) => checkLicenceAlert({ tx, actor: job, clock: world.clock, config: world.config, organisationId: world.meadowbankId }));
      expect(again.action).toBe("none");
    }
    expect(await mailTo(world.db, PRIYA, "licence_alert")).toHaveLength(1);

    // Raised: back under the threshold, the alert is re-armed …
    expect((await setLicenceAllocation({ ...staff, organisationId: world.meadowbankId, input: { allocation: "20" } })).alert).toBe("rearm");
    expect((await allocationRow()).alertedAt).toBeNull();
    // … so the next crossing alerts once more.
    expect((await setLicenceAllocation({ ...staff, organisationId: world.meadowbankId, input: { allocation: "5" } })).alert).toBe("alert");
    alerts = await mailTo(world.db, MAILBOX, "licence_alert");
    expect(alerts).toHaveLength(2);
    const sent = await organisationAudit(world.db, world.meadowbankId, "organisation.licence_alert_sent");
    expect(sent).toHaveLength(2);
    expect(sent[0]!.detail).toMatchObject({ year: 2026, used: 5, allocation: 5, thresholdPercent: 90, to: [PRIYA, MAILBOX] });
    expect(await organisationAudit(world.db, world.meadowbankId, "organisation.licence_alert_rearmed")).toHaveLength(1);
  });
});
