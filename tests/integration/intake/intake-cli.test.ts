import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliDatabase, runPortal, type CliDatabase } from "@/tests/support/cli";

/*
 * `portal intake ingest FILE.eml [--dry-run] --json` (issue 7, Replay): one saved message through
 * the same pipeline as the listener. Each spawn costs a second or two, so the cases share a database.
 */
const FIXTURES = path.resolve(__dirname, "../../fixtures/email");
const eml = (name: string) => path.join(FIXTURES, name);

describe("portal intake ingest (CLI)", { timeout: 180_000 }, () => {
  let db: CliDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createCliDatabase();
    env = { ...db.env, IMAP_AUTHSERV_ID: "mx.council.example.org" };
    const seeded = await runPortal(["seed", "demo", "--json"], { env: db.env, timeoutMs: 170_000 });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await db?.dispose();
  });

  it("UAP-A.8 a saved reinstatement email replays: --dry-run says what would happen and keeps nothing; the real run makes the request once", async () => {
    // `portal mail ingest` (the name) and `portal intake ingest` are one command.
    const dry = await runPortal(["mail", "ingest", eml("reinstatement-authenticated.eml"), "--dry-run", "--json"], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ kind: "reinstatement", account: "lee.jones@meadowbank-care.example.org", senderVerified: true, request: expect.stringMatching(/^REQ-\d{6}$/), reason: expect.any(String) });

    const real = await runPortal(["intake", "ingest", eml("reinstatement-authenticated.eml"), "--json"], { env });
    expect(real.code, real.stderr).toBe(0);
    const outcome = JSON.parse(real.stdout) as { action: string; request: string };
    expect(outcome.action).toBe("request_submitted");

    const again = await runPortal(["intake", "ingest", eml("reinstatement-authenticated.eml"), "--json"], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ action: "duplicate", request: outcome.request });
  });

  it("malformed input gives a clear answer, never a crash", async () => {
    const broken = await runPortal(["intake", "ingest", eml("malformed-mime.eml"), "--dry-run", "--json"], { env });
    expect(broken.code, broken.stderr).toBe(0);
    expect(JSON.parse(broken.stdout)).toMatchObject({ kind: "unclassified", senderVerified: false, request: null, action: "needs_attention" });

    const missing = await runPortal(["intake", "ingest", eml("no-such-file.eml"), "--json"], { env });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: "validation", message: expect.stringContaining("Cannot read") } });
  });
});
