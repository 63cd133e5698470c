"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { unlockSignIn } from "@/lib/auth/sign-in-locks";
import { isAppError } from "@/lib/errors";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";
import { formOf } from "../../_lib/form-state";

const unlockSchema = z.object({ key: z.string().regex(/^(account|address):.{1,200}$/) });

// POST (server action) — staff lift a sign-in lock.
export async function unlock(formData: FormData): Promise<void> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("operator", "requests", "edit", "/staff/sign-in-locks");
  const parsed = unlockSchema.safeParse({ key: formData.get("key") });
  if (!parsed.success) redirect("/staff/sign-in-locks?problem=unknown");
  const { database, config, clock } = await portal();
  const actor = await webActor(config, viewer);
  let outcome = "unlocked=1";
  try {
    await database.db.transaction((tx) => unlockSignIn({ tx, actor, clock, key: parsed.data.key }));
  } catch (error) {
    if (!isAppError(error) || error.code !== "not_found") throw error;
    outcome = "problem=gone";
  }
  redirect(`/staff/sign-in-locks?${outcome}`);
}
