import type { Command } from "commander";
import { latestCheckpoint, parseCheckpointArgument } from "../../lib/audit/checkpoint";
import { verifyAuditChainInParallel } from "../../lib/audit/verify-parallel";
import { AppError } from "../../lib/errors";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

interface VerifyOptions extends CommonOptions {
  /** SEQ:HASH from a checkpoint email; by default the last checkpoint kept in the outbox. */
  checkpoint?: string;
}

/**
 * `portal audit verify` — walks the hash chain and names the first event that does not match,
 * checking the checkpointed event against its recorded hash (lib/audit/checkpoint.ts).
 */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("The audit log");
  audit
    .command("verify")
    .description("Verify the audit log's hash chain against the last checkpoint; exit 1 and name the first bad event if it was tampered with")
    .option("--checkpoint <seq:hash>", "verify against this checkpoint (from a checkpoint email) instead of the last one kept in the outbox")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: VerifyOptions) => {
        const given = options.checkpoint === undefined ? null : parseCheckpointArgument(options.checkpoint);
        if (given && !given.ok) throw new AppError("validation", given.message);
        const verdict = await withPortal({}, async (portal) => {
          const db = portal.database.db;
          // On PostgreSQL the chain is checked in ranges on every core (lib/audit/verify-parallel.ts).
          return verifyAuditChainInParallel(db, { checkpoint: given ? given.checkpoint : await latestCheckpoint(db) });
        });
        const against = verdict.checkpoint ? ` against the checkpoint of event ${verdict.checkpoint.seq}` : " (no checkpoint kept yet)";
        emit(
          options,
          verdict,
          () =>
            verdict.ok
              ? `Audit chain verified${against}: ${verdict.events} events, head ${verdict.headSeq} (${verdict.headHash.slice(0, 16)}…).`
              : `Audit chain BROKEN at event ${verdict.firstBad.seq}${verdict.firstBad.id ? ` (${verdict.firstBad.id})` : ""}: ${verdict.firstBad.problem}. ${verdict.events} events before it verified${against}.`,
          verdict.ok ? 0 : 1,
        );
      }),
    );
}
