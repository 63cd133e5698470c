import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { viewerForEmail } from "../../lib/auth/viewer-for-email";
import { AppError } from "../../lib/errors";
import { approveRequest } from "../../lib/requests/approve-request";
import { assignRequest } from "../../lib/requests/assign-request";
import { addRequestNote } from "../../lib/requests/add-request-note";
import { prioritiseRequest } from "../../lib/requests/prioritise-request";
import { findRequestByNumber, getRequestDetail, listQueue } from "../../lib/requests/queries";
import { parseReference } from "../../lib/requests/rules";
import { rejectRequest } from "../../lib/requests/reject-request";
import { startRequest } from "../../lib/requests/start-request";
import { submitRequest } from "../../lib/requests/submit-request";
import type { Portal } from "../../lib/runtime/open-portal";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

interface AsOptions extends CommonOptions {
  as: string;
}

async function requestId(portal: Portal, reference: string): Promise<string> {
  const number = parseReference(reference);
  const found = number === null ? null : await findRequestByNumber(portal.database.db, number);
  if (!found) throw new AppError("not_found", `no request ${reference}`, `There is no request ${reference}.`);
  return found.id;
}

/**
 * `portal requests …` — the back office from a terminal: the same lib/requests use cases the
 * web and Slack call, acting as the account named by --as, with "cli" as the audit channel.
 */
export function registerRequests(program: Command): void {
  const requests = program.command("requests").description("Requests: list, show, submit and action them as a named account");

  requests
    .command("list")
    .description("The open queue (or --status all), soonest due first")
    .requiredOption("--as <email>", "the staff account acting")
    .option("--status <status>", "open (default), all, or one status")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: AsOptions & { status?: string }) => {
        const page = await withPortal({}, async (portal) => {
          const { viewer } = await viewerForEmail(portal.database.db, portal.config, options.as, "cli");
          return listQueue({ db: portal.database.db, clock: portal.clock, config: portal.config, viewer, filters: { status: (options.status ?? "open") as "open" }, pageSize: 200 });
        });
        emit(options, page, () =>
          page.rows.length === 0
            ? "No requests."
            : page.rows.map((r) => `${r.reference}  ${r.status.padEnd(11)} ${r.priority.padEnd(6)} due ${r.dueAt.toISOString()}  ${r.title} (${r.organisationName})`).join("\n"),
        );
      }),
    );

  requests
    .command("show <reference>")
    .description("One request with its history")
    .requiredOption("--as <email>", "the account reading it")
    .option("--json", "print one JSON document")
    .action(
      action(async (reference: string, options: AsOptions) => {
        const detail = await withPortal({}, async (portal) => {
          const { viewer } = await viewerForEmail(portal.database.db, portal.config, options.as, "cli");
          return getRequestDetail({ db: portal.database.db, clock: portal.clock, config: portal.config, viewer, requestId: await requestId(portal, reference) });
        });
        emit(options, detail, () =>
          [
            `${detail.request.reference}: ${detail.request.title} — ${detail.request.status}, due ${detail.request.dueAt.toISOString()}`,
            ...detail.history.map((h) => `  ${h.occurredAt.toISOString()}  ${h.action}  ${h.actorLabel} (${h.channel})`),
          ].join("\n"),
        );
      }),
    );

  requests
    .command("submit <file>")
    .description("Submit a request from a JSON file of form values (e.g. {\"type\":\"suspension\",\"subjectAccountId\":…,\"reason\":\"leaver\"})")
    .requiredOption("--as <email>", "the Lead correspondent (or other authoriser) asking")
    .option("--json", "print one JSON document")
    .action(
      action(async (file: string, options: AsOptions) => {
        let input: unknown;
        try {
          input = JSON.parse(readFileSync(file, "utf8"));
        } catch (error) {
          throw new AppError("validation", `cannot read ${file}`, `${file} could not be read as JSON: ${(error as Error).message}`);
        }
        const submitted = await withPortal({}, async (portal) => {
          const { viewer, actor } = await viewerForEmail(portal.database.db, portal.config, options.as, "cli");
          const values = { ...(input as Record<string, unknown>), organisationId: viewer.organisationId };
          return submitRequest({ db: portal.database.db, actor, clock: portal.clock, config: portal.config, input: values });
        });
        emit(options, submitted, `${submitted.reference} received: ${submitted.title}, due ${submitted.dueAt.toISOString()}.`);
      }),
    );

  const staffAction = (name: string, description: string, extra: (cmd: Command) => Command, run: (portal: Portal, base: Parameters<typeof startRequest>[0], options: Record<string, string>) => Promise<unknown>) => {
    extra(requests.command(`${name} <reference>`).description(description).requiredOption("--as <email>", "the staff account acting").option("--json", "print one JSON document")).action(
      action(async (reference: string, options: AsOptions & Record<string, string>) => {
        const result = await withPortal({}, async (portal) => {
          const { viewer, actor } = await viewerForEmail(portal.database.db, portal.config, options.as, "cli");
          const base = { db: portal.database.db, actor, clock: portal.clock, config: portal.config, viewer, requestId: await requestId(portal, reference) };
          return run(portal, base, options);
        });
        emit(options, result, `${reference}: ${name} done.`);
      }),
    );
  };

  staffAction("prioritise", "Set a request's priority", (c) => c.requiredOption("--priority <priority>", "urgent, high, normal or low"), (_p, base, o) => prioritiseRequest({ ...base, priority: o.priority! }));
  staffAction("assign", "Assign a request (to --to, or to yourself)", (c) => c.option("--to <email>", "the staff member to assign it to"), async (portal, base, o) => {
    const assignee = o.to ? (await viewerForEmail(portal.database.db, portal.config, o.to, "cli")).viewer.accountId : base.viewer.accountId;
    return assignRequest({ ...base, assigneeId: assignee });
  });
  staffAction("start", "Start work on an assigned request", (c) => c, (_p, base) => startRequest(base));
  staffAction("approve", "Approve a request in progress and apply it", (c) => c, (portal, base) => approveRequest({ ...base, baseUrl: portal.baseUrl }));
  staffAction("reject", "Reject a request with a reason (emailed to the requester)", (c) => c.requiredOption("--reason <text>", "why"), (_p, base, o) => rejectRequest({ ...base, reason: o.reason! }));
  staffAction("note", "Add an internal note", (c) => c.requiredOption("--body <text>", "the note"), (_p, base, o) => addRequestNote({ ...base, body: o.body! }));
}
