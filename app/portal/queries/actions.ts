"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { addQueryMessage } from "@/lib/queries/add-query-message";
import { openQuery, sendOperatorMessage } from "@/lib/queries/open-query";
import { queryIdSchema } from "@/lib/queries/schema";
import { formStateFromError, formText, type FormState } from "../../_lib/form-state";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { auditRefusal, requireAccess, requireViewer } from "../../_lib/viewer";

// POST (server action) — a provider user opens a query about a person or a payment (queries:edit, AUP-2.1d).
export async function openQueryAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("provider", "queries", "edit", "/portal/queries/new");
  const topic = formText(formData, "topic");
  const values = { topic, individualId: formText(formData, "individualId"), paymentId: formText(formData, "paymentId"), subject: formText(formData, "subject"), body: formText(formData, "body") };
  const { database, config, clock } = await portal();
  let queryId: string;
  try {
    ({ queryId } = await openQuery({ db: database.db, actor: await webActor(config, viewer), clock, config, viewer, input: values }));
  } catch (error) {
    return formStateFromError(error, values);
  }
  redirect(`/portal/queries/${queryId}?sent=1`);
}

// POST (server action) — "Contact the operator" from the contacts page (contacts:read, AUP-2.1a).
export async function sendOperatorMessageAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireAccess("provider", "contacts", "read", "/portal/contacts/message");
  const values = { subject: formText(formData, "subject"), body: formText(formData, "body") };
  const { database, config, clock } = await portal();
  let queryId: string;
  try {
    ({ queryId } = await sendOperatorMessage({ db: database.db, actor: await webActor(config, viewer), clock, config, viewer, input: values }));
  } catch (error) {
    return formStateFromError(error, values);
  }
  redirect(`/portal/queries/${queryId}?sent=1`);
}

// POST (server action) — a provider user's reply in one of their organisation's queries (queries:edit; lib decides).
export async function replyToQueryAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const viewer = await requireViewer();
  const threadId = queryIdSchema.safeParse(formText(formData, "queryId"));
  if (!threadId.success || viewer.audience !== "provider") notFound();
  const values = { body: formText(formData, "body") };
  const { database, config, clock, baseUrl } = await portal();
  try {
    await addQueryMessage({ db: database.db, actor: await webActor(config, viewer), clock, config, baseUrl, viewer, threadId: threadId.data, input: values });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      await auditRefusal(viewer, { path: `/portal/queries/${threadId.data}`, kind: "queries", level: "edit" });
      notFound();
    }
    return formStateFromError(error, values);
  }
  redirect(`/portal/queries/${threadId.data}?sent=1`);
}
