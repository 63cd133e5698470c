"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { addQueryMessage } from "@/lib/queries/add-query-message";
import { queryIdSchema } from "@/lib/queries/schema";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { auditRefusal, requireAccess } from "../../_lib/viewer";

// POST (server action) — staff answer a provider's query from the back office (requests:edit, AUP-2.1d).
export async function answerQueryAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("operator", "requests", "edit", "/staff/queries");
  const threadId = queryIdSchema.safeParse(formText(formData, "queryId"));
  if (!threadId.success) notFound();
  const values = { body: formText(formData, "body") };
  const { database, config, clock, baseUrl } = await portal();
  try {
    await addQueryMessage({ db: database.db, actor: await webActor(config, viewer), clock, config, baseUrl, viewer, threadId: threadId.data, input: values });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      await auditRefusal(viewer, { path: `/staff/queries/${threadId.data}` });
      notFound();
    }
    return formStateFromError(error, values);
  }
  redirect(`/staff/queries/${threadId.data}?sent=1`);
}
