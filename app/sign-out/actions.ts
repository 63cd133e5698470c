"use server";

import { redirect } from "next/navigation";
import { endSession } from "@/lib/auth/sessions";
import { signOut as endAuthCookie } from "@/lib/auth/next-auth";
import { portal } from "../_lib/portal";
import { webActor } from "../_lib/request-context";
import { getViewer } from "../_lib/viewer";
import { clearAttemptCookie } from "../_lib/sign-in-cookie";

// POST (server action) — sign out: the session ends on the server first, then the cookie goes (AUP-5.2b).
export async function signOut(): Promise<never> {
  const viewer = await getViewer();
  if (viewer) {
    const { database, config, clock } = await portal();
    const actor = await webActor(config, viewer);
    await database.db.transaction((tx) => endSession(tx, clock, viewer.sessionId, "signed_out", actor, viewer.organisationId));
  }
  await clearAttemptCookie();
  await endAuthCookie({ redirect: false });
  redirect("/sign-out");
}
