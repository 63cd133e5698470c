import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { tables } from "@/lib/db";
import { queryRows } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { approveRequest } from "@/lib/requests/approve-request";
import { rejectRequest } from "@/lib/requests/reject-request";
import { databaseKind } from "@/tests/support/test-database";
import { ALEX, BASE_URL, SAM, bringToInProgress, createRequestWorld, newUserInput, requestAudit, requestMail, requestRow, staffOptions, submitAs, type RequestWorld } from "./fixtures";

/** Two members of staff acting on one request at once: it is applied exactly once (UAP-2.1, UAP-4.4). */

let world: RequestWorld;
beforeAll(async () => {
  world = await createRequestWorld();
});
afterAll(async () => {
  await world?.dispose();
});

async function accountsWithEmail(email: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(world.db, sql`select count(*)::int as n from ${tables.accounts} where email = ${email}`);
  return row!.n;
}

/** Exactly one fulfilled; the other an "already actioned" conflict. */
function expectOneWinner(results: PromiseSettledResult<unknown>[]) {
  const won = results.filter((r) => r.status === "fulfilled");
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  const error = lost[0]!.reason as AppError;
  expect(error).toBeInstanceOf(AppError);
  expect(error.code).toBe("conflict");
  expect(error.userMessage).toMatch(/^REQ-\d{6} has already been actioned by someone else: it is now resolved\./);
}

async function checkAppliedOnce(requestId: string, email: string) {
  expect(await accountsWithEmail(email)).toBe(1);
  const row = await requestRow(world.db, requestId);
  expect(row.status).toBe("resolved");
  expect(row.version).toBe(5);
  const mail = await requestMail(world.db, requestId);
  expect(mail.filter((m) => m.kind === "account_username")).toHaveLength(1);
  expect(mail.filter((m) => m.kind === "account_setup_link")).toHaveLength(1);
  expect(mail.filter((m) => m.kind === "request_resolved")).toHaveLength(1);
  const actions = (await requestAudit(world.db, requestId)).map((e) => e.action);
  expect(actions.filter((a) => a === "account.created")).toHaveLength(1);
  expect(actions.filter((a) => a === "request.resolved")).toHaveLength(1);
  expect(await verifyAuditChain(world.db)).toMatchObject({ ok: true });
}

describe("concurrent approvals", () => {
  it("UAP-2.1 two staff approving the same request at once apply it exactly once; the other is told it was already actioned", async () => {
    const input = newUserInput();
    const submitted = await submitAs(world, input);
    await bringToInProgress(world, submitted.requestId);
    const results = await Promise.allSettled([
      approveRequest({ ...(await staffOptions(world, SAM, submitted.requestId)), baseUrl: BASE_URL }),
      approveRequest({ ...(await staffOptions(world, ALEX, submitted.requestId, "slack")), baseUrl: BASE_URL }),
    ]);
    expectOneWinner(results);
    await checkAppliedOnce(submitted.requestId, input.email);
  });

  it("UAP-2.1 an approval and a rejection at once: one wins, the other changes nothing", async () => {
    const input = newUserInput();
    const submitted = await submitAs(world, input);
    await bringToInProgress(world, submitted.requestId);
    const results = await Promise.allSettled([
      approveRequest({ ...(await staffOptions(world, SAM, submitted.requestId)), baseUrl: BASE_URL }),
      rejectRequest({ ...(await staffOptions(world, ALEX, submitted.requestId)), reason: "Duplicate of another request" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const row = await requestRow(world.db, submitted.requestId);
    expect(await accountsWithEmail(input.email)).toBe(row.status === "resolved" ? 1 : 0);
    const mail = await requestMail(world.db, submitted.requestId);
    expect(mail.filter((m) => m.kind === "request_resolved" || m.kind === "request_rejected")).toHaveLength(1);
  });

  if (databaseKind() === "postgres") {
    it("UAP-2.1 on PostgreSQL, two connections racing: the second waits for the first's lock, then gets 'already actioned'", async () => {
      const input = newUserInput();
      const submitted = await submitAs(world, input);
      await bringToInProgress(world, submitted.requestId);
      const samOptions = { ...(await staffOptions(world, SAM, submitted.requestId)), baseUrl: BASE_URL };
      const alexOptions = { ...(await staffOptions(world, ALEX, submitted.requestId)), baseUrl: BASE_URL };

      let applied!: () => void;
      const firstApplied = new Promise<void>((resolve) => (applied = resolve));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // The first approval runs in a transaction on one connection and holds it open after applying.
      const first = world.db.transaction(async (tx) => {
        const result = await approveRequest({ ...samOptions, db: tx });
        applied();
        await held;
        return result;
      });
      await firstApplied;
      // The second, on another connection of the pool, blocks on the request's row lock.
      const second = approveRequest(alexOptions);
      const waiting = async () => {
        const rows = await world.handle.superuserExecute(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        return Number(rows[0]?.n ?? 0);
      };
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await waiting()).toBeGreaterThan(0);
      release();
      expectOneWinner(await Promise.allSettled([first, second]));
      await expect(first).resolves.toMatchObject({ status: "resolved" });
      await checkAppliedOnce(submitted.requestId, input.email);
    });
  }
});
