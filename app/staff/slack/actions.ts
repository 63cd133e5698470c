"use server";

import { redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { retrySlackPost, retrySlackPostSchema } from "@/lib/slack/dead-letter";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";
import { formOf } from "../../_lib/form-state";

// POST (server action) — staff put a Slack message that was given up back for the bot to post (outbox:edit).
export async function retrySlackMessage(formData: FormData): Promise<void> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("operator", "outbox", "edit", "/staff/slack");
  const input = { requestId: formData.get("requestId"), occurrence: formData.get("occurrence") };
  if (!retrySlackPostSchema.safeParse(input).success) redirect("/staff/slack?problem=not_found");
  const { database, config, clock } = await portal();
  const actor = await webActor(config, viewer);
  let outcome = "retried=1";
  try {
    await database.db.transaction((tx) => retrySlackPost({ tx, actor, clock, input }));
  } catch (error) {
    if (!isAppError(error) || (error.code !== "conflict" && error.code !== "validation")) throw error;
    outcome = "problem=not_dead";
  }
  redirect(`/staff/slack?${outcome}`);
}
