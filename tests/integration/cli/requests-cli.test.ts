import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliDatabase, makeTmpDir, runPortal, type CliDatabase } from "@/tests/support/cli";

/*
 * One path for every channel (issue 4): the CLI submits and actions a request through the same
 * lib/requests use cases as the web, and its audit events say "cli". Each spawn costs a
 * second or two, so one request is walked through its whole life.
 */
describe("portal requests (CLI)", { timeout: 180_000 }, () => {
  let db: CliDatabase;
  let dir: string;
  const lead = ["--as", "priya.shah@meadowbank-care.example.org"];
  const staff = ["--as", "alex.morgan@council.example.org"];

  beforeAll(async () => {
    db = await createCliDatabase();
    dir = await makeTmpDir("requests-cli");
    const seeded = await runPortal(["seed", "demo", "--json"], { env: db.env });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await db?.dispose();
  });

  it("UCP-HD-1 UAP-2.1 a request submitted and actioned from the CLI is applied, with the channel recorded as cli", async () => {
    const file = path.join(dir, "new-user.json");
    await writeFile(file, JSON.stringify({ type: "new_user", fullName: "Cli Person", email: "cli.person@nhs.net", jobTitle: "Finance Officer", purpose: "Checks payments for the people we support" }));
    const submitted = await runPortal(["requests", "submit", file, ...lead, "--json"], { env: db.env });
    expect(submitted.code, submitted.stderr).toBe(0);
    const { reference } = submitted.json() as { reference: string };
    expect(reference).toMatch(/^REQ-\d{6}$/);

    // A provider user may not act as staff: refused, and nothing changes.
    const refused = await runPortal(["requests", "prioritise", reference, "--priority", "high", ...lead, "--json"], { env: db.env });
    expect(refused.code).toBe(1);
    expect((refused.json() as { error: { code: string } }).error.code).toBe("forbidden");

    for (const step of [["prioritise", reference, "--priority", "normal"], ["assign", reference], ["start", reference], ["approve", reference]]) {
      const run = await runPortal(["requests", ...step, ...staff, "--json"], { env: db.env });
      expect(run.code, `${step[0]}: ${run.stdout}${run.stderr}`).toBe(0);
    }
    const shown = await runPortal(["requests", "show", reference, ...staff, "--json"], { env: db.env });
    const detail = shown.json() as { request: { status: string; priority: string }; history: { action: string; channel: string }[] };
    expect(detail.request.status).toBe("resolved");
    expect(detail.request.priority).toBe("normal");
    expect(detail.history.map((h) => h.action)).toEqual(expect.arrayContaining(["request.submitted", "request.assigned", "request.started", "account.created"]));
    for (const h of detail.history) expect(h.channel).toBe("cli");

    // Approving again is refused as already actioned, not applied twice.
    const again = await runPortal(["requests", "approve", reference, ...staff, "--json"], { env: db.env });
    expect(again.code).toBe(1);
    expect((again.json() as { error: { code: string } }).error.code).toBe("conflict");
  });

  it("UAP-2.2 a refused email is a validation error naming the field, and creates no request", async () => {
    const file = path.join(dir, "generic.json");
    await writeFile(file, JSON.stringify({ type: "new_user", fullName: "Office", email: "info@meadowbank-care.example.org", jobTitle: "Administrator", purpose: "Office work for the people we support" }));
    const run = await runPortal(["requests", "submit", file, ...lead, "--json"], { env: db.env });
    expect(run.code).toBe(2);
    const body = run.json() as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe("validation");
    expect(body.error.fields.email).toMatch(/generic mailbox/);
    const list = await runPortal(["requests", "list", "--status", "all", ...staff, "--json"], { env: db.env });
    const rows = (list.json() as { rows: { title: string }[] }).rows;
    expect(rows.some((r) => r.title.includes("Office"))).toBe(false);
  });
});
