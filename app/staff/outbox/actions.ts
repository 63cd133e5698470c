"use server";

import { redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { retryDeadMessage, retryMessageSchema } from "@/lib/mail/retry-message";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";
import { formOf } from "../../_lib/form-state";

// POST (server action) — staff put an email that was not delivered back in the queue (outbox:edit).
export async function retryMessage(formData: FormData): Promise<void> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("operator", "outbox", "edit", "/staff/outbox");
  const parsed = retryMessageSchema.safeParse({ messageId: formData.get("messageId") });
  if (!parsed.success) redirect("/staff/outbox?status=dead");
  const { messageId } = parsed.data;
  const { database, config, clock } = await portal();
  const actor = await webActor(config, viewer);
  let outcome = "retried=1";
  try {
    await database.db.transaction((tx) => retryDeadMessage({ tx, actor, clock, messageId }));
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "not_found") redirect("/staff/outbox");
    if (error.code !== "conflict") throw error;
    outcome = "problem=not_dead";
  }
  redirect(`/staff/outbox/${messageId}?${outcome}`);
}
