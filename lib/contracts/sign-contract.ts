import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../audit";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Viewer } from "../auth/permissions";
import { choosePositions } from "../auth/one-time-tokens";
import { digitsMatch } from "../auth/security-number";
import { accountKey, lockedUntil, recordFailure } from "../auth/throttle";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import { contractSigningChallenges, contracts } from "../db/schema/contracts";
import type { Database } from "../db/types";
import { AppError } from "../errors";
import { parseOrThrow } from "../validation";
import { contractReference, SIGNING_CHALLENGE_MINUTES, typedNameMatches } from "./rules";
import { signContractInputSchema } from "./schema";

interface SigningDeps {
  db: Database;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  viewer: Viewer;
  contractId: string;
}

/** The viewer's own organisation's contract, if they may sign it; not_found otherwise (AUP-5.2d). */
async function signableContract(db: Database, viewer: Viewer, contractId: string) {
  requirePermission(viewer, "contracts", "edit");
  const [contract] = await db
    .select({ id: contracts.id, number: contracts.number, status: contracts.status, organisationId: contracts.organisationId, documentSha256: contracts.documentSha256 })
    .from(contracts)
    .where(and(eq(contracts.id, contractId), eq(contracts.organisationId, viewer.organisationId)));
  if (!contract) throw new AppError("not_found", `contract ${contractId} not found for ${viewer.organisationId}`, "Page not found");
  return contract;
}

/**
 * Step-up for signing (AUP-2.1c): a challenge asking for digits of the signer's security number
 * at positions chosen here, per attempt (the same rule as sign-in, AUP-4.2).
 */
export async function startContractSigning(options: SigningDeps): Promise<{ challengeId: string; positions: number[] }> {
  const { db, clock, config, viewer, contractId } = options;
  const contract = await signableContract(db, viewer, contractId);
  if (contract.status !== "published") throw new AppError("conflict", `contract ${contractId} is ${contract.status}`, "This contract cannot be signed: it is already signed or has been withdrawn.");
  const positions = choosePositions(config.signIn.securityDigitsAsked);
  const [row] = await db
    .insert(contractSigningChallenges)
    .values({ contractId, accountId: viewer.accountId, positions, expiresAt: new Date(clock.now().getTime() + SIGNING_CHALLENGE_MINUTES * 60_000), createdAt: clock.now() })
    .returning({ id: contractSigningChallenges.id });
  return { challengeId: row!.id, positions };
}

export type SignOutcome =
  | { ok: true; signedAt: Date; sha256: string }
  /** The digits were wrong or the challenge is over: the person starts again with new positions. */
  | { ok: false; reason: "wrong_digits" | "challenge_over" | "locked" };

/**
 * AUP-2.1c: the provider (contracts:edit) signs online. The typed name must be their own
 * account name; the digits must match their security number at the challenge's positions. On
 * success the contract records signer, name typed, time, client address, user agent and the
 * document's SHA-256 — after which the database refuses any change to it. A wrong answer counts
 * towards the account's sign-in lockout and is audited; the same generic outcome is returned
 * whichever digit was wrong.
 */
export async function signContract(options: SigningDeps & { secretsKey: Buffer; input: unknown }): Promise<SignOutcome> {
  const { db, actor, clock, config, viewer, contractId, secretsKey } = options;
  const contract = await signableContract(db, viewer, contractId);
  const input = parseOrThrow(signContractInputSchema, options.input);
  if (!typedNameMatches(input.typedName, viewer.fullName)) {
    throw new AppError("validation", "typed name differs from the account's", "Type your full name as it appears on your account", {
      typedName: `Type your full name as it appears on your account (${viewer.fullName})`,
    });
  }
  const reference = contractReference(contract.number);
  return db.transaction(async (tx): Promise<SignOutcome> => {
    const now = clock.now();
    const [challenge] = await tx
      .select()
      .from(contractSigningChallenges)
      .where(and(eq(contractSigningChallenges.id, input.challengeId), eq(contractSigningChallenges.contractId, contractId), eq(contractSigningChallenges.accountId, viewer.accountId), isNull(contractSigningChallenges.endedAt)))
      .for("update");
    if (!challenge || challenge.expiresAt <= now) return { ok: false, reason: "challenge_over" };
    const [current] = await tx.select({ status: contracts.status, version: contracts.version }).from(contracts).where(eq(contracts.id, contractId)).for("update");
    if (current?.status !== "published") throw new AppError("conflict", `contract ${contractId} is ${current?.status}`, "This contract cannot be signed: it is already signed or has been withdrawn.");
    const keys = [accountKey(viewer.accountId)];
    if (await lockedUntil(tx, clock, keys)) {
      await tx.update(contractSigningChallenges).set({ endedAt: now }).where(eq(contractSigningChallenges.id, challenge.id));
      return { ok: false, reason: "locked" };
    }
    const [account] = await tx.select({ sealed: accounts.securityNumberSealed }).from(accounts).where(eq(accounts.id, viewer.accountId));
    const ok = account?.sealed != null && digitsMatch(secretsKey, account.sealed, challenge.positions, input.digits);
    if (!ok) {
      // Every wrong answer ends this challenge: new positions each time, so digits cannot be collected one by one.
      await tx.update(contractSigningChallenges).set({ endedAt: now }).where(eq(contractSigningChallenges.id, challenge.id));
      const locked = await recordFailure(tx, clock, config, keys);
      await recordAudit(tx, actor, clock, {
        action: "contract.signing_failed",
        organisationId: contract.organisationId,
        subjectAccountId: viewer.accountId,
        detail: { contractId, reference, reason: "wrong_digits", locked: locked.length > 0 },
      });
      return { ok: false, reason: locked.length > 0 ? "locked" : "wrong_digits" };
    }
    await tx.update(contractSigningChallenges).set({ endedAt: now }).where(eq(contractSigningChallenges.id, challenge.id));
    await tx
      .update(contracts)
      .set({
        status: "signed",
        signedById: viewer.accountId,
        signedName: input.typedName,
        signedAt: now,
        signedClientAddress: actor.clientAddress ?? null,
        signedUserAgent: actor.userAgent ?? null,
        signedSha256: contract.documentSha256,
        version: current.version + 1,
        updatedAt: now,
      })
      .where(and(eq(contracts.id, contractId), eq(contracts.status, "published")));
    await recordAudit(tx, actor, clock, {
      action: "contract.signed",
      organisationId: contract.organisationId,
      subjectAccountId: viewer.accountId,
      detail: { contractId, reference, sha256: contract.documentSha256, signedName: input.typedName },
    });
    return { ok: true, signedAt: now, sha256: contract.documentSha256 };
  });
}
