import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { runImapOnce } from "../../bots/imap/listener";
import { imapSettingsFromEnv } from "../../bots/imap/settings";
import { AppError } from "../../lib/errors";
import { ingestEmail, type IntakeOutcome } from "../../lib/intake/ingest-email";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../../lib/intake/parse-email";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

/** The JSON shape of one outcome (issue 7's replay format, plus what was done and where it was filed). */
function shown(outcome: IntakeOutcome) {
  return {
    kind: outcome.kind,
    account: outcome.account,
    senderVerified: outcome.senderVerified,
    request: outcome.request,
    reason: outcome.reason,
    action: outcome.action,
    folder: outcome.folder,
    messageId: outcome.messageId,
    from: outcome.from,
  };
}

function line(outcome: IntakeOutcome): string {
  const who = outcome.from ?? "unknown sender";
  return `${outcome.kind} from ${who} (${outcome.senderVerified ? "authenticated" : "NOT authenticated"}): ${outcome.action}${outcome.request ? ` ${outcome.request}` : ""} — ${outcome.reason}`;
}

/**
 * `portal intake run-once [--json]` — polls the IMAP mailbox once (IMAP_* settings) and files
 * every message; `portal intake ingest FILE.eml [--dry-run] [--json]` runs one saved message
 * through the same pipeline (with --dry-run nothing is written or sent); `portal mail ingest` is
 * the same replay under the name operators look for. The embedded database
 * allows one process: while the server runs (and its listener with it) these refuse.
 */
export function registerIntake(program: Command): void {
  const intake = program.command("intake").description("Email intake: the operator mailbox turned into requests");

  intake
    .command("run-once")
    .description("Poll the IMAP mailbox once and process every message in it")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: CommonOptions) => {
        const settings = imapSettingsFromEnv(process.env);
        if (!settings) throw new AppError("validation", "IMAP_HOST not set", "Set IMAP_HOST, IMAP_USER and IMAP_PASSWORD (and IMAP_AUTHSERV_ID) to say which mailbox to read.");
        const report = await withPortal({}, (portal) => runImapOnce({ db: portal.database.db, clock: portal.clock, config: portal.config, baseUrl: portal.baseUrl, settings }));
        const result = { uidValidity: report.uidValidity, seen: report.seen, processed: report.processed.map(shown), failed: report.failed };
        emit(
          options,
          result,
          () => [`${report.seen} message(s) in ${settings.mailbox}; ${report.processed.length} processed, ${report.failed.length} left for a retry.`, ...report.processed.map(line), ...report.failed.map((f) => `failed uid ${f.uid}: ${f.error}`)].join("\n"),
          report.failed.length > 0 ? 1 : 0,
        );
      }),
    );

  addIngest(intake);
  // The issue's name for the replay: `portal mail ingest FILE.eml` is the same command.
  addIngest(program.command("mail").description("The operator mailbox: replay saved messages through the intake"));
}

/** `… ingest FILE.eml [--dry-run] [--json]` — one saved message through the intake pipeline. */
function addIngest(parent: Command): void {
  parent
    .command("ingest")
    .description("Run one saved message (.eml) through the intake pipeline")
    .argument("<file>", "the message, as saved from a mail client (.eml)")
    .option("--dry-run", "classify and check it, but write and send nothing")
    .option("--json", "print one JSON document")
    .action(
      action(async (file: string, options: CommonOptions & { dryRun?: boolean }) => {
        let raw: Buffer;
        try {
          const stat = statSync(file);
          if (!stat.isFile()) throw new Error("not a file");
          raw = readFileSync(file);
        } catch {
          throw new AppError("validation", `cannot read ${file}`, `Cannot read ${file}: give the path of a saved email (.eml).`);
        }
        const settings = imapSettingsFromEnv(process.env);
        const outcome = await withPortal({}, (portal) =>
          ingestEmail({
            db: portal.database.db,
            clock: portal.clock,
            config: portal.config,
            baseUrl: portal.baseUrl,
            raw,
            dryRun: options.dryRun ?? false,
            settings: { authservId: settings?.authservId ?? (process.env.IMAP_AUTHSERV_ID?.trim() || null), maxBytes: settings?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES },
          }),
        );
        emit(options, shown(outcome), () => `${options.dryRun ? "(dry run) " : ""}${line(outcome)}`);
      }),
    );
}
