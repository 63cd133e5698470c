/**
 * A child process for the crash tests: submits new-user requests as Meadowbank's Lead
 * correspondent through the portal's own submit path (lib/requests/submitRequest, as the web
 * form does), several at once, and prints `ACK <n> <reference>` the moment each one has
 * committed — what a browser would have been told. The test kills it with SIGKILL mid-burst.
 *
 *   DATABASE_URL=… | PORTAL_DATA_DIR=…  BURST_PREFIX=run1  BURST_MAX=200  BURST_CONCURRENCY=4
 *   node --import tsx tests/integration/faults/submit-burst.ts
 */
import { sql } from "drizzle-orm";
import { systemClock } from "../../../lib/clock";
import { getConfig } from "../../../lib/config";
import { openDatabase } from "../../../lib/db";
import { queryRows } from "../../../lib/db/types";
import { AppError } from "../../../lib/errors";
import { submitRequest } from "../../../lib/requests/submit-request";

const PRIYA = "priya.shah@meadowbank-care.example.org";
const prefix = process.env.BURST_PREFIX ?? "burst";
const max = Number(process.env.BURST_MAX ?? 200);
const concurrency = Number(process.env.BURST_CONCURRENCY ?? 4);

const url = process.env.DATABASE_URL?.trim();
const handle = await openDatabase(url ? { url } : { dataDir: process.env.PORTAL_DATA_DIR });
const config = getConfig();
const [priya] = await queryRows<{ id: string; full_name: string }>(handle.db, sql`select id, full_name from accounts where email = ${PRIYA}`);
if (!priya) throw new Error("no demo Lead correspondent: seed the demo first");
const actor = { accountId: priya.id, label: priya.full_name, channel: "web" as const, clientAddress: "10.1.2.3", userAgent: "fault-test" };

function emailFor(n: number): string {
  return `burst.${prefix}.${n}@nhs.net`;
}

let next = 0;
async function worker(): Promise<void> {
  while (next < max) {
    const n = next++;
    try {
      const submitted = await submitRequest({
        db: handle.db,
        actor,
        clock: systemClock,
        config,
        input: {
          type: "new_user",
          fullName: `Burst Person ${n}`,
          email: emailFor(n),
          jobTitle: "Care Coordinator",
          roleKeys: ["care_coordinator"],
          purpose: "Arranging home care visits for the people we support",
        },
      });
      // Linux writes to a pipe synchronously: once this returns, the parent can read it.
      process.stdout.write(`ACK ${n} ${submitted.reference}\n`);
    } catch (error) {
      process.stdout.write(`REFUSED ${n} ${error instanceof AppError ? error.code : String(error)}\n`);
    }
  }
}

process.stdout.write("READY\n");
await Promise.all(Array.from({ length: concurrency }, () => worker()));
await handle.close();
process.stdout.write("DONE\n");
