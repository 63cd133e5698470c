import { z } from "zod";
import { reviewDecisions } from "../db/schema/reviews";
import { suspensionReasons } from "../requests/schema";

/**
 * What a surface sends for one account's review decision (UAP-4.2). Parsed by every adapter
 * and again by recordReviewDecision. The new roles and the suspension reason are checked in
 * full by lib/requests (known provider roles, registration for a clinical role …) when the
 * decision becomes a request; here only that they are there at all.
 */

export type ReviewDecision = (typeof reviewDecisions)[number];

const blankToEmpty = (value: unknown) => (value === undefined || value === null ? "" : value);
const optionalText = (max: number, label: string) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : (value ?? undefined)),
    z.string().trim().max(max, `${label} must be ${max} characters or fewer`).optional(),
  );
/** One value or several (a form sends a single ticked checkbox as a string). */
const roleKeyList = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().trim()).max(20, "Select no more than 20 security roles"),
);

export const reviewDecisionInputSchema = z
  .object({
    decision: z.preprocess(blankToEmpty, z.enum(reviewDecisions, { error: "Select keep, change role or suspend" })),
    roleKeys: roleKeyList,
    registrationBody: optionalText(200, "Professional body"),
    registrationNumber: optionalText(60, "Registration number"),
    reason: z.preprocess(blankToEmpty, z.string()),
    reasonDetail: optionalText(2000, "Reason"),
  })
  .superRefine((input, ctx) => {
    if (input.decision === "change_role" && input.roleKeys.filter(Boolean).length === 0) {
      ctx.addIssue({ code: "custom", path: ["roleKeys"], message: "Select the new security role" });
    }
    if (input.decision === "suspend") {
      if (!(suspensionReasons as readonly string[]).includes(input.reason)) ctx.addIssue({ code: "custom", path: ["reason"], message: "Select why the account should be suspended" });
      else if (input.reason === "other" && !input.reasonDetail) ctx.addIssue({ code: "custom", path: ["reasonDetail"], message: "Enter why the account should be suspended" });
    }
  })
  .transform((input): ReviewDecisionInput => {
    switch (input.decision) {
      case "keep":
        return { decision: "keep" };
      case "change_role":
        return {
          decision: "change_role",
          roleKeys: [...new Set(input.roleKeys.filter(Boolean))],
          registrationBody: input.registrationBody ?? null,
          registrationNumber: input.registrationNumber ?? null,
        };
      case "suspend":
        return { decision: "suspend", reason: input.reason as (typeof suspensionReasons)[number], reasonDetail: input.reasonDetail ?? null };
    }
  });

export type ReviewDecisionInput =
  | { decision: "keep" }
  | { decision: "change_role"; roleKeys: string[]; registrationBody: string | null; registrationNumber: string | null }
  | { decision: "suspend"; reason: (typeof suspensionReasons)[number]; reasonDetail: string | null };

export const reviewIdSchema = z.uuid("Review not found");
