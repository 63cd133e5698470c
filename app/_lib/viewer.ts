import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { recordAudit } from "@/lib/audit";
import { recordPageView } from "@/lib/audit/record-page-view";
import { cookies } from "next/headers";
import { AUTH_COOKIE, sessionFromCookie } from "@/lib/auth/next-auth";
import { can, loadViewer, type Viewer } from "@/lib/auth/permissions";
import { pendingPolicies } from "@/lib/auth/policy-acceptance";
import type { AccessLevel, InformationKind } from "@/lib/config";
import { portal } from "./portal";
import { webActor } from "./request-context";

/** The signed-in viewer for this request, checked once however many components ask (null when signed out). */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await sessionFromCookie((await cookies()).get(AUTH_COOKIE)?.value);
  if (!session) return null;
  const { database, config } = await portal();
  return loadViewer(database.db, config, { accountId: session.accountId, sessionId: session.sessionId });
});

/**
 * A page or action for signed-in people: sends the signed-out to sign in, and anyone who has
 * not accepted the current Acceptable Use Policy to accept it first (AUP-5.1a).
 */
export async function requireViewer(options: { skipPolicyCheck?: boolean } = {}): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (!options.skipPolicyCheck) {
    const { database, config } = await portal();
    if ((await pendingPolicies(database.db, config, viewer.accountId)).length > 0) redirect("/accept-policy");
  }
  return viewer;
}

/**
 * AUP-5.2d / UAP-2.3: the viewer must hold the kind at the level, for the right audience;
 * otherwise the attempt is audited and the answer is "page not found" — never a hint.
 */
export async function requireAccess(audience: "provider" | "operator", kind: InformationKind, level: AccessLevel = "read", path?: string): Promise<Viewer> {
  const viewer = await requireViewer();
  if (viewer.audience !== audience || !can(viewer, kind, level)) {
    await auditRefusal(viewer, { kind, level, path: path ?? null });
    notFound();
  }
  return viewer;
}

export interface ViewPageOptions {
  /** The access the page needs (as requireAccess); without it any signed-in viewer may see it. */
  access?: { audience: "provider" | "operator"; kind: InformationKind; level?: AccessLevel };
  /** The account the page is about, when it is about one. */
  subjectAccountId?: string | null;
}

/**
 * PRIV-2a / AUP-7.1: a page for signed-in people whose viewing is logged against the viewer's
 * account (page.viewed with the path: one audit insert). Checks access as requireAccess does
 * when `access` is given, else as requireViewer. Pass the path without its query string: the
 * query can carry search terms, which are logged only anonymously (PRIV-2b, recordSearch).
 *
 *   const viewer = await viewPage("/staff/audit", { access: { audience: "operator", kind: "audit" } });
 */
export async function viewPage(path: string, options: ViewPageOptions = {}): Promise<Viewer> {
  const { access } = options;
  const viewer = access ? await requireAccess(access.audience, access.kind, access.level ?? "read", path) : await requireViewer();
  const { database, config, clock } = await portal();
  await recordPageView(database.db, {
    actor: await webActor(config, viewer),
    clock,
    path,
    organisationId: viewer.organisationId,
    subjectAccountId: options.subjectAccountId,
  });
  return viewer;
}

/** Records a refused access (a URL or action beyond the viewer's role or organisation). */
export async function auditRefusal(viewer: Viewer, detail: Record<string, unknown>): Promise<void> {
  const { database, config, clock } = await portal();
  const actor = await webActor(config, viewer);
  await database.db.transaction((tx) =>
    recordAudit(tx, actor, clock, { action: "access.refused", subjectAccountId: viewer.accountId, organisationId: viewer.organisationId, detail }),
  );
}
