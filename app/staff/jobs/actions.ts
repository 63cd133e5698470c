"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { findJob, runJobNow } from "@/lib/jobs";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";
import { formOf } from "../../_lib/form-state";

const runNowSchema = z.object({ job: z.string().refine((name) => findJob(name) !== undefined) });

// POST (server action) — a team lead runs one job now; audited (job.run_requested) in their name.
export async function runNow(formData: FormData): Promise<void> {
  formOf(formData); // a crafted post without a form: "not found", never a 500 (issue 11)
  const viewer = await requireAccess("operator", "jobs", "edit", "/staff/jobs");
  const parsed = runNowSchema.safeParse({ job: formData.get("job") });
  if (!parsed.success) redirect("/staff/jobs?problem=unknown");
  const { database, config, clock, baseUrl } = await portal();
  const actor = await webActor(config, viewer);
  const result = await runJobNow({ deps: { db: database.db, clock, config, baseUrl }, viewer, actor, name: parsed.data.job });
  redirect(`/staff/jobs?${new URLSearchParams({ ran: parsed.data.job, status: result.status })}#job-${parsed.data.job}`);
}
