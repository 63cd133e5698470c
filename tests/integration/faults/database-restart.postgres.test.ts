import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { fixedClock, systemClock } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import { migrateDatabase, openDatabase, type DatabaseHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/types";
import { seedDemo } from "@/lib/demo/seed-demo";
import { AppError } from "@/lib/errors";
import { submitRequest } from "@/lib/requests/submit-request";
import { checkReadiness } from "@/lib/runtime/readiness";
import { startPostgresServer, type PostgresServer } from "../../support/postgres-server";

/**
 * Faults (issue 11): the PostgreSQL server restarts while the portal is submitting requests.
 * The portal's own connection pool (lib/db, as the server opens it) must recover by itself —
 * no reopening, no restart of the app: submissions fail cleanly while the server is down, the
 * readiness check says "unavailable", and afterwards both work again. Every acknowledged
 * submission exists exactly once and the audit chain verifies.
 *
 * Its own throwaway server (not the suite's shared one), since it is stopped mid-test.
 */

const PRIYA = "priya.shah@meadowbank-care.example.org";

describe("the database restarted under load (PostgreSQL only: the file is *.postgres.test.ts)", () => {
  let server: PostgresServer;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    server = await startPostgresServer();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE portal");
    await admin.end();
    handle = await openDatabase({ url: server.urlFor("portal"), poolSize: 4 });
    await migrateDatabase(handle);
    await seedDemo({ db: handle.db, config: getConfig(), clock: fixedClock(new Date()), secretsKey: Buffer.from(process.env.PORTAL_SECRETS_KEY!, "base64") });
    await handle.db.execute(sql`update licence_allocations set allocation = 100000`);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it("UAP-4.4 the pool reconnects by itself; acknowledged submissions exist once and the chain verifies", async () => {
    const config = getConfig();
    const [priya] = await queryRows<{ id: string; full_name: string }>(handle.db, sql`select id, full_name from accounts where email = ${PRIYA}`);
    const actor = { accountId: priya!.id, label: priya!.full_name, channel: "web" as const, clientAddress: "10.1.2.3", userAgent: "fault-test" };

    const acked = new Map<number, string>();
    const failures: string[] = [];
    let next = 0;
    let stop = false;
    const submitOne = async () => {
      const n = next++;
      try {
        const submitted = await submitRequest({
          db: handle.db,
          actor,
          clock: systemClock,
          config,
          input: { type: "new_user", fullName: `Restart Person ${n}`, email: `restart.${n}@nhs.net`, jobTitle: "Care Coordinator", roleKeys: ["care_coordinator"], purpose: "Arranging home care visits for the people we support" },
        });
        acked.set(n, submitted.reference);
      } catch (error) {
        // A refusal by a rule would be a bug here; only the outage may fail a submission.
        expect(error).not.toBeInstanceOf(AppError);
        failures.push(error instanceof Error ? error.message : String(error));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const workers = Array.from({ length: 4 }, async () => {
      while (!stop) await submitOne();
    });

    const waitFor = async (what: string, condition: () => boolean | Promise<boolean>, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    await waitFor("submissions before the restart", () => acked.size >= 10);
    const before = acked.size;
    // Down for two seconds: the readiness check must notice while it is.
    const restarting = server.restart({ downMs: 2_000, mode: "fast" });
    await waitFor("the readiness check to report the outage", async () => (await checkReadiness({ db: handle.db, draining: false, timeoutMs: 500 })).status === "unavailable", 30_000);
    await restarting;
    await waitFor("readiness after the restart", async () => (await checkReadiness({ db: handle.db, draining: false, timeoutMs: 2_000 })).status === "ready");
    const afterRestart = acked.size;
    await waitFor("submissions after the restart", () => acked.size >= afterRestart + 10);
    stop = true;
    await Promise.all(workers);

    expect(before).toBeGreaterThanOrEqual(10);
    // The outage was felt (submissions failed while the server was down) and recovered from.
    expect(failures.length).toBeGreaterThan(0);
    expect(acked.size).toBeGreaterThanOrEqual(afterRestart + 10);

    const rows = await queryRows<{ n: string; reference: string; audited: string }>(
      handle.db,
      sql`select substring(r.payload::text from 'restart\\.([0-9]+)@') as n, 'REQ-' || lpad(r.number::text, 6, '0') as reference,
            (select count(*) from audit_events a where a.request_id = r.id and a.action = 'request.submitted')::text as audited
          from requests r where r.payload::text like '%restart.%@nhs.net%'`,
    );
    const counts = new Map<number, number>();
    for (const row of rows) {
      counts.set(Number(row.n), (counts.get(Number(row.n)) ?? 0) + 1);
      expect(row.audited).toBe("1");
    }
    for (const [n, reference] of acked) {
      expect(counts.get(n), `acknowledged ${reference}`).toBe(1);
      expect(rows.find((row) => Number(row.n) === n)?.reference).toBe(reference);
    }
    for (const count of counts.values()) expect(count).toBe(1);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  }, 180_000);
});
