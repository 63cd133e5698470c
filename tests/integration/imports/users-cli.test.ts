import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliDatabase, makeTmpDir, runPortal, type CliDatabase } from "@/tests/support/cli";

/*
 * `portal users import FILE --org ODS --as EMAIL [--dry-run] --json` (UCP-BULK-1): the web's
 * bulk upload from a terminal, through the same lib/imports use case, one result per row.
 */
describe("portal users import (CLI)", { timeout: 180_000 }, () => {
  let db: CliDatabase;
  let dir: string;
  const lead = ["--as", "priya.shah@meadowbank-care.example.org"];

  beforeAll(async () => {
    db = await createCliDatabase();
    dir = await makeTmpDir("users-cli");
    const seeded = await runPortal(["seed", "demo", "--json"], { env: db.env });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await db?.dispose();
  });

  interface RowResult {
    row: number;
    status: "ok" | "error";
    email: string | null;
    errors: { column: string | null; message: string }[];
    reference?: string;
  }

  it("UCP-BULK-1 UAP-2.2 a dry run prints one result per row and submits nothing; the real run submits the valid rows, channel cli", async () => {
    const file = path.join(dir, "staff.csv");
    // Excel's way: byte-order mark, semicolons, Windows line endings, dd/mm/yyyy.
    const csv = [
      "Name;E-mail address;Role title;Security role;End date;Reason for access;Temporary",
      "Cli One;cli.one@nhs.net;Care Coordinator;;;Home care visits for the people we support;",
      "Cli Two;info@meadowbank-care.example.org;Administrator;;;Office work for the people we support;",
      "Cli Three;cli.three@nhs.net;Scheduler;Care coordinator;31/12/2027;Planning visits for the people we support;yes",
    ].join("\r\n");
    await writeFile(file, `\uFEFF${csv}\r\n`);

    const dry = await runPortal(["users", "import", file, "--org", "ab1c2", ...lead, "--dry-run", "--json"], { env: db.env });
    expect(dry.code, dry.stderr).toBe(1); // a row has errors
    const checked = dry.json<RowResult[]>();
    expect(checked.map((r) => [r.row, r.status, r.email])).toEqual([
      [2, "ok", "cli.one@nhs.net"],
      [3, "error", "info@meadowbank-care.example.org"],
      [4, "ok", "cli.three@nhs.net"],
    ]);
    expect(checked[1]!.errors[0]).toMatchObject({ column: "Email address", message: expect.stringMatching(/generic mailbox/) });
    expect(checked.every((r) => r.reference === undefined)).toBe(true);

    const real = await runPortal(["users", "import", file, "--org", "AB1C2", ...lead, "--json"], { env: db.env });
    expect(real.code, real.stderr).toBe(1);
    const submitted = real.json<RowResult[]>();
    expect(submitted.filter((r) => r.reference).map((r) => r.row)).toEqual([2, 4]);

    const list = await runPortal(["requests", "list", "--as", "alex.morgan@council.example.org", "--json"], { env: db.env });
    const titles = (list.json() as { rows: { title: string; reference: string }[] }).rows;
    expect(titles.filter((r) => r.title.startsWith("New user – Cli")).map((r) => r.reference).sort()).toEqual(submitted.flatMap((r) => (r.reference ? [r.reference] : [])).sort());
    const shown = await runPortal(["requests", "show", submitted[0]!.reference!, "--as", "alex.morgan@council.example.org", "--json"], { env: db.env });
    const detail = shown.json() as { history: { action: string; channel: string }[] };
    expect(detail.history[0]).toMatchObject({ action: "request.submitted", channel: "cli" });

    // Again: every row is now a duplicate or refused, nothing more is submitted.
    const again = await runPortal(["users", "import", file, "--org", "AB1C2", ...lead, "--json"], { env: db.env });
    expect(again.json<RowResult[]>().every((r) => r.status === "error" && !r.reference)).toBe(true);
  });

  it("UCP-BULK-1 CC-4 a file without a header, or another organisation, is refused with a clear error and nothing submitted", async () => {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "a,b\n1,2\n");
    const unreadable = await runPortal(["users", "import", bad, "--org", "AB1C2", ...lead, "--json"], { env: db.env });
    expect(unreadable.code).toBe(2);
    expect((unreadable.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: "validation", message: expect.stringMatching(/header row/) });

    const good = path.join(dir, "good.csv");
    await writeFile(good, "Full name,Email,Job title,Purpose\nOther Org,other.org@nhs.net,Scheduler,Visits for the people we support\n");
    const elsewhere = await runPortal(["users", "import", good, "--org", "RV4D5", ...lead, "--json"], { env: db.env });
    expect(elsewhere.code).toBe(1);
    expect((elsewhere.json() as { error: { code: string } }).error.code).toBe("forbidden");
    const human = await runPortal(["users", "import", good, "--org", "AB1C2", ...lead, "--dry-run"], { env: db.env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("row 2     ok    other.org@nhs.net");
    expect(human.stdout).toContain("Dry run: nothing submitted.");
  });
});
