import type { Command } from "commander";
import { getConfig } from "../../lib/config";
import { checkEmail, type EmailVerdict } from "../../lib/policy/email-policy";
import { action, emit, type CommonOptions } from "../output";

const labels: Record<EmailVerdict, string> = {
  accepted: "Accepted",
  attestation_required: "Attestation required",
  refused: "Refused",
  invalid: "Invalid",
};

/**
 * `portal check-email ADDRESS [--json]` — the account email policy's verdict on an address
 * (UAP-2.2, UCP-EMAIL-1), as the portal would give it. Every verdict exits 0: the check ran.
 */
export function registerCheckEmail(program: Command): void {
  program
    .command("check-email")
    .description("Check an address against the account email policy (generic mailboxes, webmail, accepted domains)")
    .argument("<address>", "the email address to check")
    .option("--json", "print one JSON document")
    .action(
      action((address: string, options: CommonOptions) => {
        const result = checkEmail(address, getConfig().email);
        const shown = result.normalised ?? address.trim();
        emit(options, { verdict: result.verdict, reason: result.reason }, `${labels[result.verdict]}: ${shown}\n${result.reason}`);
      }),
    );
}
