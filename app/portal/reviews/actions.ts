"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { reviewDetail } from "@/lib/reviews/queries";
import { recordReviewDecision } from "@/lib/reviews/record-review-decision";
import { reviewDecisionInputSchema, reviewIdSchema } from "@/lib/reviews/schema";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { fieldErrorsOf } from "@/lib/validation";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { auditRefusal, requireAccess } from "../../_lib/viewer";

/** The decision's fields as the form names them: `<field>-<accountId>`, so one form holds every account. */
const FIELDS = ["decision", "roleKeys", "registrationBody", "registrationNumber", "reason", "reasonDetail"] as const;
const fieldId = (field: string, accountId: string) => `${(FIELDS as readonly string[]).includes(field) ? field : "decision"}-${accountId}`;

async function loadReview(formData: FormData) {
  const viewer = await requireAccess("provider", "users", "edit", "/portal/reviews");
  const parsed = reviewIdSchema.safeParse(formText(formData, "reviewId"));
  if (!parsed.success) notFound();
  const { database, config, clock } = await portal();
  try {
    const detail = await reviewDetail({ db: database.db, clock, config, reviewId: parsed.data, organisationId: viewer.organisationId });
    return { viewer, detail, database, config, clock };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      await auditRefusal(viewer, { path: `/portal/reviews/${parsed.data}` });
      notFound();
    }
    throw error;
  }
}

// POST (server action) — the Lead correspondent's decisions on a review's accounts (UAP-4.2): keep, change role or
// suspend each; every answer is checked first, then each changed one is recorded through lib/reviews.
export async function saveReviewDecisions(_prev: FormState, formData: FormData): Promise<FormState> {
  const { viewer, detail, database, config, clock } = await loadReview(formData);
  const values: Record<string, string> = {};
  const fieldErrors: Record<string, string> = {};
  const changes: { accountId: string; fullName: string; input: unknown }[] = [];
  let answered = 0;

  for (const item of detail.items) {
    if (item.request) continue; // a decision that became a request stands
    const id = item.accountId;
    const decision = formText(formData, `decision-${id}`);
    const roleKeys = formData.getAll(`roleKeys-${id}`).filter((v): v is string => typeof v === "string");
    const raw = {
      decision,
      roleKeys,
      registrationBody: formText(formData, `registrationBody-${id}`),
      registrationNumber: formText(formData, `registrationNumber-${id}`),
      reason: formText(formData, `reason-${id}`),
      reasonDetail: formText(formData, `reasonDetail-${id}`),
    };
    // Put back what was posted; roles only when a change of role was chosen (else the boxes start from the current roles).
    for (const [field, value] of Object.entries(raw)) {
      if (field !== "roleKeys" || decision === "change_role") values[`${field}-${id}`] = Array.isArray(value) ? value.join(",") : value;
    }
    if (!decision) continue;
    answered += 1;
    if (decision === "keep" && item.decision === "keep") continue; // unchanged
    const parsed = reviewDecisionInputSchema.safeParse(raw);
    if (!parsed.success) {
      for (const [field, message] of Object.entries(fieldErrorsOf(parsed.error))) fieldErrors[fieldId(field, id)] ??= `${item.fullName}: ${message}`;
      continue;
    }
    changes.push({ accountId: id, fullName: item.fullName, input: parsed.data });
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, values };
  if (answered === 0) {
    return { ok: false, message: "Choose keep, change role or suspend for at least one account, then save your decisions.", fieldErrors: {}, values };
  }

  if (changes.length === 0) redirect(`/portal/reviews/${detail.review.id}?saved=0`);
  const actor = await webActor(config, viewer);
  let saved = 0;
  for (const change of changes) {
    try {
      await recordReviewDecision({ db: database.db, actor, clock, config, reviewId: detail.review.id, accountId: change.accountId, input: change.input as Record<string, unknown> });
      saved += 1;
    } catch (error) {
      const state = formStateFromError(error);
      const entries = Object.entries(state.fieldErrors);
      if (entries.length === 0) return { ok: false, message: state.message, fieldErrors, values };
      for (const [field, message] of entries) fieldErrors[fieldId(field, change.accountId)] ??= `${change.fullName}: ${message}`;
    }
  }
  if (Object.keys(fieldErrors).length > 0) {
    // Some were recorded (and may have become requests): the page shows them as they now stand.
    if (saved > 0) revalidatePath(`/portal/reviews/${detail.review.id}`);
    const message = saved > 0 ? `${saved} ${saved === 1 ? "decision was" : "decisions were"} saved. The ones below were not.` : undefined;
    return { ok: false, message, fieldErrors, values };
  }
  redirect(`/portal/reviews/${detail.review.id}?saved=${saved}`);
}

// POST (server action) — the Lead correspondent signs the review off, once every account has a decision (UAP-4.2).
export async function signOff(_prev: FormState, formData: FormData): Promise<FormState> {
  const { viewer, detail, database, config, clock } = await loadReview(formData);
  try {
    await signOffReview({ db: database.db, actor: await webActor(config, viewer), clock, config, reviewId: detail.review.id });
  } catch (error) {
    const state = formStateFromError(error);
    return { ...state, message: state.message ?? Object.values(state.fieldErrors)[0], fieldErrors: {} };
  }
  redirect(`/portal/reviews/${detail.review.id}?signed=1`);
}
