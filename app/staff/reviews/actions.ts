"use server";

import { redirect } from "next/navigation";
import { openQuarterlyReviews } from "@/lib/reviews/open-quarterly-reviews";
import { portal } from "../../_lib/portal";
import { webActor } from "../../_lib/request-context";
import { requireAccess } from "../../_lib/viewer";

// POST (server action) — staff open this quarter's reviews now, as the quarterly job would (requests:edit); audited.
export async function openReviewsNow(): Promise<void> {
  const viewer = await requireAccess("operator", "requests", "edit", "/staff/reviews");
  const { database, config, clock, baseUrl } = await portal();
  const summary = await openQuarterlyReviews({ db: database.db, clock, config, baseUrl, actor: await webActor(config, viewer) });
  redirect(`/staff/reviews?opened=${summary.opened}`);
}
