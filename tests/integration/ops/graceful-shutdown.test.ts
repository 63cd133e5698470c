import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { isDraining, requestsInFlight, shutDown, trackHttpRequests } from "@/lib/runtime/graceful-shutdown";
import { checkReadiness } from "@/lib/runtime/readiness";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

/**
 * Graceful shutdown (issue 11, operations), in process with a real HTTP server and a real
 * database: a request being served when the shutdown starts finishes and its transaction
 * commits; the background workers finish their run; only then is the database closed. While
 * draining the readiness check says so, and once the listener is closed new connections are
 * refused.
 */

let handle: TestDatabase | undefined;
const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) server.close();
  await handle?.dispose();
});

describe("shutDown", () => {
  it("lets in-flight requests and the workers' current runs finish, then closes the database, last", async () => {
    handle = await createTestDatabase();
    const db = handle.db;
    await db.execute(sql`create table shutdown_probe (note text not null)`);
    trackHttpRequests();
    const order: string[] = [];

    const server = http.createServer((request, response) => {
      void (async () => {
        // A slow request: a transaction that is still open when the shutdown begins.
        await db.transaction(async (tx) => {
          await tx.execute(sql`insert into shutdown_probe (note) values (${request.url ?? ""})`);
          await new Promise((resolve) => setTimeout(resolve, 400));
        });
        order.push(`request ${request.url} finished`);
        response.writeHead(200).end("done");
      })();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const slow = fetch(`${base}/slow`).then((r) => r.status);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requestsInFlight()).toBe(1);

    let committed = -1;
    const shutdown = shutDown(
      {
        stopWorkers: async () => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          order.push("workers stopped");
        },
        closeDatabase: async () => {
          // What the requests wrote must be there when the database goes.
          const rows = (await db.execute(sql`select count(*)::int as n from shutdown_probe`)) as unknown as { rows: { n: number }[] };
          committed = Number(rows.rows[0]!.n);
          order.push("database closed");
          await handle!.dispose();
        },
        log: (level, event, fields) => order.push(`${level} ${event}${fields && "reason" in fields ? ` ${String(fields.reason)}` : ""}`),
        drainMs: 200,
        timeoutMs: 10_000,
      },
      "SIGTERM",
    );

    // Draining: the readiness check turns away new traffic, but a request still arriving is served.
    expect(isDraining()).toBe(true);
    expect(await checkReadiness({ db, draining: isDraining() })).toMatchObject({ status: "draining" });
    const during = fetch(`${base}/during-drain`).then((r) => r.status);

    const outcome = await shutdown;
    expect(outcome.clean).toBe(true);
    expect(await slow).toBe(200);
    expect(await during).toBe(200);
    expect(committed).toBe(2);
    expect(order[0]).toBe("info server.shutdown_started SIGTERM");
    expect(order.indexOf("database closed")).toBeGreaterThan(order.indexOf("request /slow finished"));
    expect(order.indexOf("database closed")).toBeGreaterThan(order.indexOf("request /during-drain finished"));
    expect(order.indexOf("database closed")).toBeGreaterThan(order.indexOf("workers stopped"));
    expect(order.at(-1)).toBe("info server.shutdown_finished");

    // The listener is closed: a new connection is refused.
    await expect(fetch(`${base}/after`)).rejects.toThrow();
  });
});
