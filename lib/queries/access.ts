import { and, eq } from "drizzle-orm";
import { can, type Viewer } from "../auth/permissions";
import { queryThreads } from "../db/schema/queries";
import type { Executor } from "../db/types";
import { AppError } from "../errors";

export type QueryThreadRow = typeof queryThreads.$inferSelect;

/**
 * Who may see a query thread, and from which side (AUP-5.2d): a provider user of the thread's
 * own organisation with queries read (edit to write), or operator staff with requests read
 * (edit to answer) — the staff who work the queue. "Contact the operator" threads are also
 * seen by the provider user who sent them. Anything else is not_found, never a hint.
 */
export function querySide(viewer: Viewer, thread: Pick<QueryThreadRow, "organisationId" | "topic" | "openedById">, level: "read" | "edit"): "provider" | "operator" | null {
  if (viewer.audience === "operator") return can(viewer, "requests", level) ? "operator" : null;
  if (thread.organisationId !== viewer.organisationId) return null;
  if (can(viewer, "queries", level)) return "provider";
  if (thread.topic === "operator" && thread.openedById === viewer.accountId && can(viewer, "contacts", "read")) return "provider";
  return null;
}

/** The thread, read (optionally FOR UPDATE), if the viewer may act on it at the level; else not_found. */
export async function threadFor(db: Executor, viewer: Viewer, threadId: string, level: "read" | "edit", lock = false) {
  const query = db.select().from(queryThreads).where(and(eq(queryThreads.id, threadId)));
  const [thread] = lock ? await query.for("update") : await query;
  const side = thread ? querySide(viewer, thread, level) : null;
  if (!thread || !side) throw new AppError("not_found", `query ${threadId} is not ${level}able by ${viewer.email}`, "Page not found");
  return { thread, side };
}
