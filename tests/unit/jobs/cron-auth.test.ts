import { describe, expect, it } from "vitest";
import { cronAuthorisation, cronAuthorisationStatus } from "@/lib/jobs/cron-auth";

const SECRET = "s3cret-value-from-vercel";

describe("the cron endpoint's authorisation", () => {
  it.each([
    ["the right bearer token", `Bearer ${SECRET}`, { CRON_SECRET: SECRET }, "ok"],
    ["any case of Bearer, extra spaces", `bearer   ${SECRET} `, { CRON_SECRET: SECRET }, "ok"],
    ["no header", null, { CRON_SECRET: SECRET }, "unauthorised"],
    ["an empty header", "", { CRON_SECRET: SECRET }, "unauthorised"],
    ["the wrong secret", "Bearer not-the-secret", { CRON_SECRET: SECRET }, "unauthorised"],
    ["a prefix of the secret", `Bearer ${SECRET.slice(0, 10)}`, { CRON_SECRET: SECRET }, "unauthorised"],
    ["the secret without Bearer", SECRET, { CRON_SECRET: SECRET }, "unauthorised"],
    ["Basic credentials", `Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}`, { CRON_SECRET: SECRET }, "unauthorised"],
    ["CRON_SECRET unset, even with a token", `Bearer ${SECRET}`, {}, "not_configured"],
    ["CRON_SECRET blank", "Bearer ", { CRON_SECRET: "  " }, "not_configured"],
  ] as const)("%s → %s", (_label, header, env, verdict) => {
    expect(cronAuthorisation(header, env)).toBe(verdict);
  });

  it("answers 401 to a wrong or missing secret and 503 when no secret is set", () => {
    expect(cronAuthorisationStatus).toEqual({ unauthorised: 401, not_configured: 503 });
  });
});
