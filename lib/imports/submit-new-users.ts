import { randomUUID } from "node:crypto";
import type { Actor, AuditInput } from "../audit/events";
import { slaDueTime } from "../calendar/sla-due-time";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { requests } from "../db/schema/requests";
import type { Transaction } from "../db/types";
import { enqueueMessage } from "../mail/enqueue-message";
import type { NewUserRequester, RequestingOrganisation } from "../requests/check-new-user";
import { licenceAlertRecipients } from "../organisations/rules";
import { markLicenceAlerted, organisationAuthorisers } from "../requests/licences";
import { licenceAlertMessage } from "../requests/messages";
import { defaultPriority, formatReference, licenceAlertDue, requestTitle, slaWorkingDaysFor } from "../requests/rules";
import type { RequestPayload } from "../requests/schema";
import type { LicenceSummary, NewUserDetails } from "./check-import";
import { batchAcknowledgementMessage } from "./messages";

/**
 * Writes checked new-user requests, many at once, inside the caller's transaction: the same
 * rows submitRequest writes for one (status received, normal priority, the SLA due time (CC-5),
 * the title naming the person (CC-4), the payload with the requester and any email attestation
 * (UCP-EMAIL-1)), and the same request.submitted audit event for each — but in a few multi-row
 * statements rather than one round of a dozen queries per person, and with one acknowledgement
 * email for the batch rather than one per person. Every rule was checked by checkImport under
 * the organisation's request lock, which the caller still holds.
 * tests/integration/imports/import-users.test.ts proves a bulk request is stored exactly as the
 * single form's.
 */

export interface SubmitNewUsersOptions {
  tx: Transaction;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  organisation: RequestingOrganisation;
  requester: NewUserRequester;
  licence: LicenceSummary;
  rows: { row: number; details: NewUserDetails }[];
}

export interface SubmittedNewUser {
  row: number;
  requestId: string;
  reference: string;
  title: string;
}

/** Rows per INSERT: well inside PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 1_000;

export async function submitNewUsers(options: SubmitNewUsersOptions): Promise<{ made: SubmittedNewUser[]; audit: AuditInput[] }> {
  const { tx, actor, clock, config, organisation, requester } = options;
  const now = clock.now();
  const priority = defaultPriority({ type: "new_user" });
  const dueAt = slaDueTime({ receivedAt: now, requests: config.requests, days: slaWorkingDaysFor(priority, config.requests) }).dueAt;
  const payloadRequester: RequestPayload["requester"] = { accountId: requester.accountId, fullName: requester.fullName, email: requester.email, as: "authoriser" };

  const prepared = options.rows.map(({ row, details }) => {
    const payload: RequestPayload = { details: { ...details, organisationId: organisation.id }, requester: payloadRequester };
    if (details.emailVerdict === "attestation_required" && details.emailAttested) {
      payload.emailAttestation = { email: details.email, attestedById: requester.accountId, attestedByLabel: requester.fullName, attestedAt: now.toISOString() };
    }
    return { id: randomUUID(), row, title: requestTitle("new_user", details.fullName), payload };
  });

  const made: SubmittedNewUser[] = [];
  const audit: AuditInput[] = [];
  for (let i = 0; i < prepared.length; i += INSERT_CHUNK) {
    const chunk = prepared.slice(i, i + INSERT_CHUNK);
    // One statement per chunk; the numbers come from the shared sequence.
    const inserted = await tx
      .insert(requests)
      .values(
        chunk.map((p) => ({
          id: p.id,
          type: "new_user" as const,
          status: "received" as const,
          priority,
          title: p.title,
          organisationId: organisation.id,
          subjectAccountId: null,
          requestedById: requester.accountId,
          channel: actor.channel,
          payload: p.payload as unknown as Record<string, unknown>,
          receivedAt: now,
          dueAt,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: requests.id, number: requests.number });
    const numbers = new Map(inserted.map((r) => [r.id, r.number]));
    chunk.forEach((p) => {
      const request = { id: p.id, number: numbers.get(p.id)! };
      const reference = formatReference(request.number);
      made.push({ row: p.row, requestId: request.id, reference, title: p.title });
      audit.push({
        action: "request.submitted",
        organisationId: organisation.id,
        subjectAccountId: null,
        requestId: request.id,
        detail: {
          reference,
          type: "new_user",
          title: p.title,
          priority,
          dueAt: dueAt.toISOString(),
          requester: p.payload.requester,
          details: p.payload.details,
          ...(p.payload.emailAttestation ? { emailAttestation: p.payload.emailAttestation } : {}),
        },
      });
    });
  }

  await enqueueMessage(tx, batchAcknowledgementMessage(config, { organisation, requester, requests: made, dueAt, receivedAt: now }));

  // CC-2a: the organisation's authorisers hear once when the batch takes its licences past the threshold.
  const after = { allocation: options.licence.allocation, used: options.licence.used + made.length, year: options.licence.year };
  if (licenceAlertDue(after, config.licences.alertThresholdPercent, options.licence.alertedPercent)) {
    const authorisers = await organisationAuthorisers(tx, config, organisation.id);
    // As submitRequest: the organisation's Lead correspondent(s) and the operator's staff, once per crossing.
    await enqueueMessage(tx, licenceAlertMessage(config, organisation, after, licenceAlertRecipients(authorisers.map((a) => a.email), config.operator.mailbox)));
    await markLicenceAlerted(tx, organisation.id, after.year, after.allocation, config.licences.alertThresholdPercent);
    audit.push({
      action: "organisation.licence_alert_sent",
      organisationId: organisation.id,
      requestId: made.at(-1)?.requestId ?? null,
      detail: { year: after.year, used: after.used, allocation: after.allocation, thresholdPercent: config.licences.alertThresholdPercent, to: authorisers.map((a) => a.email) },
    });
  }
  return { made, audit };
}
