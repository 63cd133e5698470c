import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganisation } from "@/lib/organisations/create-organisation";
import { addRequestNote } from "@/lib/requests/add-request-note";
import { rejectRequest } from "@/lib/requests/reject-request";
import { readImportFile } from "@/lib/imports/read-import-file";
import { checkImport } from "@/lib/imports/check-import";
import { ALEX, PRIYA, SAM, actorFor, bringToInProgress, createRequestWorld, footprint, newUserInput, staffOptions, submitAs, viewerFor, type RequestWorld } from "@/tests/integration/requests/fixtures";
import { expectOnlyValidationErrorAsync, hostileForm, hostileString, hostileValue, runs } from "@/tests/unit/property/hostile";

/**
 * Issue 11: rejected input changes nothing. The use cases behind the forms, the Slack bot and
 * the CLI, fed hostile input on a real database (PGlite and PostgreSQL): each refusal is the
 * typed validation error, and the rows a change could touch (requests, audit events, outbox,
 * accounts, grants, notes, versions) are the same before and after.
 */

let world: RequestWorld;
let requestId: string;

beforeAll(async () => {
  world = await createRequestWorld();
  ({ requestId } = await submitAs(world, newUserInput()));
  await bringToInProgress(world, requestId);
});
afterAll(() => world?.dispose());

/** Runs a hostile call; when refused, nothing in the footprint may have moved. */
async function refusedChangesNothing(work: () => Promise<unknown>): Promise<"accepted" | "refused"> {
  const before = await footprint(world.db);
  const outcome = await expectOnlyValidationErrorAsync(work);
  if (outcome === "refused") expect(await footprint(world.db)).toEqual(before);
  return outcome;
}

describe("rejected input changes nothing", () => {
  it("a Lead correspondent's request with hostile fields", async () => {
    const tally = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileForm(["type", "fullName", "email", "jobTitle", "roleKeys", "purpose", "subjectAccountId", "endDate", "temporary"]), fc.record({ type: fc.constantFrom("new_user", "suspension", "role_change", "reinstatement", "end_date_change", "lead_change"), fullName: hostileString, email: hostileString, purpose: hostileString, subjectAccountId: hostileValue })), async (input) => {
        tally[await refusedChangesNothing(() => submitAs(world, input as Record<string, unknown>))]++;
      }),
      { numRuns: runs(40) },
    );
    expect(tally.refused).toBeGreaterThan(0);
  });

  it("staff actions with hostile reasons and notes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, fc.constant(""), fc.constant("   "), fc.constant("x".repeat(5001))), async (text) => {
        const options = await staffOptions(world, SAM, requestId);
        const { version } = await world.db.query.requests.findFirst({ where: (r, { eq }) => eq(r.id, requestId) }).then((r) => r!);
        const outcome = await refusedChangesNothing(() => rejectRequest({ ...options, expectedVersion: version, reason: text as string }));
        if (outcome === "accepted") {
          // A reason that was accepted was a real one; start again from a fresh request in progress.
          ({ requestId } = await submitAs(world, newUserInput()));
          await bringToInProgress(world, requestId);
        }
        await refusedChangesNothing(() => addRequestNote({ ...options, body: text as string }));
      }),
      { numRuns: runs(25) },
    );
  });

  it("a new organisation with hostile details", async () => {
    const viewer = await viewerFor(world, ALEX);
    const actor = await actorFor(world.db, ALEX);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileForm(["odsCode", "name", "type", "address"]), hostileValue), async (input) => {
        await refusedChangesNothing(() => createOrganisation({ db: world.db, actor, clock: world.clock, config: world.config, viewer: viewer as never, input: input as Record<string, unknown> }));
      }),
      { numRuns: runs(30) },
    );
  });

  it("a hostile upload: read and checked against the database without a change, or refused as a file", async () => {
    const actor = await actorFor(world.db, PRIYA);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 4096 }), hostileString.map((s) => Buffer.from(`Full name,Email address,Job title,Purpose\n${s},${s}@nhs.net,${s},${s}\n`))), async (bytes) => {
        const before = await footprint(world.db);
        await expectOnlyValidationErrorAsync(async () => {
          const file = await readImportFile({ bytes, fileName: "x.csv" });
          const check = await checkImport({ db: world.db, actor, clock: world.clock, config: world.config, organisationId: world.meadowbankId, rows: file.rows });
          expect(check.summary.rows).toBe(file.rows.length);
        });
        // Checking an upload never writes: the Lead correspondent confirms before anything is submitted.
        expect(await footprint(world.db)).toEqual(before);
      }),
      { numRuns: runs(20) },
    );
  });
});
