import type { Command } from "commander";
import { verifyAuditChain } from "../../lib/audit";
import { action, emit, type CommonOptions } from "../output";
import { withPortal } from "../with-portal";

/** `portal audit verify` — walks the hash chain and names the first event that does not match. */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("The audit log");
  audit
    .command("verify")
    .description("Verify the audit log's hash chain; exit 1 and name the first bad event if it was tampered with")
    .option("--json", "print one JSON document")
    .action(
      action(async (options: CommonOptions) => {
        const verdict = await withPortal({}, (portal) => verifyAuditChain(portal.database.db));
        emit(
          options,
          verdict,
          () =>
            verdict.ok
              ? `Audit chain verified: ${verdict.events} events, head ${verdict.headSeq} (${verdict.headHash.slice(0, 16)}…).`
              : `Audit chain BROKEN at event ${verdict.firstBad.seq} (${verdict.firstBad.id}): ${verdict.firstBad.problem}. ${verdict.events} events before it verified.`,
          verdict.ok ? 0 : 1,
        );
      }),
    );
}
