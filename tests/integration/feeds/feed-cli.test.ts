import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliDatabase, makeTmpDir, runPortal, type CliDatabase } from "@/tests/support/cli";

/*
 * `portal feed import FILE --kind KIND [--dry-run] --json`: the finance system's feed from a
 * terminal, through the same lib/feeds importer as Back office → Feeds.
 */
describe("portal feed import (CLI)", { timeout: 180_000 }, () => {
  let db: CliDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createCliDatabase();
    dir = await makeTmpDir("feed-cli");
    const seeded = await runPortal(["seed", "demo", "--json"], { env: db.env });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await db?.dispose();
  });

  interface Report {
    kind: string;
    dryRun: boolean;
    summary: { rows: number; created: number; updated: number; unchanged: number; error: number };
    rows: { row: number; sourceId: string | null; status: string; errors: { column: string | null; message: string }[] }[];
  }

  it("checks with --dry-run, imports, and the same file again changes nothing; exit 1 while a row is bad", async () => {
    const file = path.join(dir, "packages.csv");
    const csv = [
      "Source ID;Organisation ODS code;Individual source ID;Service;Start date;End date;Status;Payments visible",
      'CLI-PKG-1;AB1C2;IND-1001;"Home care; evenings";01/02/2026;;;yes',
      "CLI-PKG-2;ZZ9Z9;IND-1001;Home care;01/02/2026;;;no",
      "CLI-PKG-3;AB1C2;IND-1002;Home care;31/02/2026;;;no",
    ].join("\r\n");
    await writeFile(file, `\uFEFF${csv}\r\n`);

    const dry = await runPortal(["feed", "import", file, "--kind", "care-packages", "--dry-run", "--json"], { env: db.env });
    expect(dry.code, dry.stderr).toBe(1);
    const checked = dry.json<Report>();
    expect(checked).toMatchObject({ kind: "care_packages", dryRun: true, summary: { rows: 3, created: 1, error: 2 } });
    expect(checked.rows.map((r) => [r.row, r.status, r.errors.map((e) => e.column)])).toEqual([
      [2, "created", []],
      [3, "error", ["Organisation ODS code"]],
      [4, "error", ["Start date"]],
    ]);

    const real = await runPortal(["feed", "import", file, "--kind", "care_packages", "--json"], { env: db.env });
    expect(real.code, real.stderr).toBe(1);
    expect(real.json<Report>().summary).toMatchObject({ created: 1, error: 2 });

    const again = await runPortal(["feed", "import", file, "--kind", "care_packages", "--json"], { env: db.env });
    expect(again.json<Report>().summary).toMatchObject({ created: 0, updated: 0, unchanged: 1, error: 2 });
  });

  it("refuses an unknown kind or an unreadable file with exit code 2 and a clear message", async () => {
    const bad = await runPortal(["feed", "import", path.join(dir, "none.csv"), "--kind", "invoices", "--json"], { env: db.env });
    expect(bad.code).toBe(2);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/kind must be one of/);
    const missing = await runPortal(["feed", "import", path.join(dir, "none.csv"), "--kind", "payments", "--json"], { env: db.env });
    expect(missing.code).toBe(2);
    expect(missing.json<{ error: { message: string } }>().error.message).toMatch(/could not be read/);
  });
});
