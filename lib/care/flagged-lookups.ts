import { alias } from "drizzle-orm/pg-core";
import { desc, eq } from "drizzle-orm";
import { accounts } from "../db/schema/accounts";
import { auditEvents } from "../db/schema/audit";
import { organisations } from "../db/schema/organisations";
import type { Executor } from "../db/types";
import { LOOKUP_FLAGGED } from "./colleague-lookup";

/** CC-7e: the look-ups flagged for staff review, newest first — who looked, whose name, how. */
export async function listFlaggedLookups(db: Executor, limit = 100) {
  const looker = alias(accounts, "looker");
  const named = alias(accounts, "named");
  const rows = await db
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      actorEmail: looker.email,
      organisationName: organisations.name,
      namedAccountId: auditEvents.subjectAccountId,
      namedName: named.fullName,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .leftJoin(looker, eq(looker.id, auditEvents.actorId))
    .leftJoin(named, eq(named.id, auditEvents.subjectAccountId))
    .leftJoin(organisations, eq(organisations.id, auditEvents.organisationId))
    .where(eq(auditEvents.action, LOOKUP_FLAGGED))
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  return rows.map((r) => ({ ...r, match: r.detail.match === "own" ? ("own" as const) : ("colleague" as const), via: r.detail.via === "record" ? ("record" as const) : ("search" as const), scope: String(r.detail.scope ?? "") }));
}
