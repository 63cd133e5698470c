import { and, eq } from "drizzle-orm";
import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Viewer } from "../auth/permissions";
import { careScope, visiblePackages } from "../care/need-to-know";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { carePackages, individuals, payments } from "../db/schema/care";
import { queryMessages, queryThreads, type QueryTopic } from "../db/schema/queries";
import type { Database, Executor } from "../db/types";
import { AppError } from "../errors";
import { parseOrThrow } from "../validation";
import { queryReference } from "./rules";
import { openQueryInputSchema, operatorMessageInputSchema } from "./schema";

export interface OpenQueryOptions {
  db: Database;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  viewer: Viewer;
  /** Unparsed form values. */
  input: unknown;
}

/**
 * AUP-2.1d: a provider user (queries:edit) opens a query about a person whose care their
 * organisation currently provides (need to know), or about one of their organisation's
 * payments. The thread, its first message and the audit event commit together; it lands in the
 * staff queue waiting for the operator.
 */
export async function openQuery(options: OpenQueryOptions): Promise<{ queryId: string; reference: string }> {
  const { db, viewer, clock, config } = options;
  requirePermission(viewer, "queries", "edit");
  const input = parseOrThrow(openQueryInputSchema, options.input);
  return db.transaction(async (tx) => {
    if (input.topic === "individual") {
      const [visible] = await tx
        .select({ id: individuals.id })
        .from(individuals)
        .innerJoin(carePackages, eq(carePackages.individualId, individuals.id))
        .where(and(eq(individuals.id, input.individualId), visiblePackages(careScope({ organisationId: viewer.organisationId, clock, config }))))
        .limit(1);
      if (!visible) throw new AppError("validation", `individual ${input.individualId} not visible`, "Choose the person the query is about", { individualId: "Choose a person your organisation provides care for" });
    } else {
      const [payment] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.id, input.paymentId), eq(payments.organisationId, viewer.organisationId)));
      if (!payment) throw new AppError("validation", `payment ${input.paymentId} not visible`, "Choose the payment the query is about", { paymentId: "Choose one of your organisation's payments" });
    }
    return insertThread(tx, options, {
      topic: input.topic,
      individualId: input.topic === "individual" ? input.individualId : null,
      paymentId: input.topic === "payment" ? input.paymentId : null,
      subject: input.subject,
      body: input.body,
    });
  });
}

/**
 * AUP-2.1a "Contact the operator": any provider user who can read the contacts page sends the
 * operator a message. It becomes a query thread of its own topic in the same staff queue, so
 * it is answered, kept and audited like any other (and the sender sees the replies).
 */
export async function sendOperatorMessage(options: OpenQueryOptions): Promise<{ queryId: string; reference: string }> {
  const { db, viewer } = options;
  requirePermission(viewer, "contacts", "read");
  const input = parseOrThrow(operatorMessageInputSchema, options.input);
  return db.transaction((tx) => insertThread(tx, options, { topic: "operator", individualId: null, paymentId: null, ...input }));
}

async function insertThread(
  tx: Executor,
  options: OpenQueryOptions,
  values: { topic: QueryTopic; individualId: string | null; paymentId: string | null; subject: string; body: string },
): Promise<{ queryId: string; reference: string }> {
  const { actor, clock, viewer } = options;
  const now = clock.now();
  const [thread] = await tx
    .insert(queryThreads)
    .values({
      organisationId: viewer.organisationId,
      topic: values.topic,
      individualId: values.individualId,
      paymentId: values.paymentId,
      subject: values.subject,
      status: "awaiting_operator",
      openedById: actor.accountId,
      openedByLabel: actor.label,
      lastMessageAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: queryThreads.id, number: queryThreads.number });
  await tx.insert(queryMessages).values({ threadId: thread!.id, side: "provider", authorId: actor.accountId, authorLabel: actor.label, channel: actor.channel, body: values.body, createdAt: now });
  const reference = queryReference(thread!.number);
  await recordAudit(tx, actor, clock, {
    action: values.topic === "operator" ? "query.operator_message" : "query.opened",
    organisationId: viewer.organisationId,
    detail: { queryId: thread!.id, reference, topic: values.topic, individualId: values.individualId, paymentId: values.paymentId },
  });
  return { queryId: thread!.id, reference };
}
