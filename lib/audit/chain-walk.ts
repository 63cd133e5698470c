import { createHash } from "node:crypto";
import { canonicalEncodingOfStored, type StoredAuditText } from "./canonical";

/**
 * The checks of one walk along the audit chain, in sequence order — shared by every way of
 * reading it (a cursor on PGlite, COPY on PostgreSQL, COPY of one range in a worker thread),
 * so that each names the first bad event in the same words.
 */

/** A chain head recorded outside the table (lib/audit/checkpoint.ts): event `seq` had hash `hash` at `at`. */
export interface ChainCheckpoint {
  seq: number;
  hash: string;
  /** When it was recorded (unknown for one typed in from an email's SEQ:HASH). */
  at: Date | null;
}

export interface BadEvent {
  seq: number;
  id: string | null;
  problem: string;
}

/** A stored event as verification reads it: every column as text, and its stored hash. */
export interface StoredAuditRow extends StoredAuditText {
  hash: string;
}

/** What one walk over a stretch of the chain found (plain data: it crosses from a worker thread). */
export interface WalkResult {
  /** Events that verified, before the failure if there is one. */
  count: number;
  /** The stretch's first event: in a range, its sequence and link are the stitcher's to check. */
  first: { seq: number; id: string; prevHash: string } | null;
  last: { seq: number; hash: string } | null;
  failure: BadEvent | null;
}

export const removedProblem = (from: number, to: number) => `sequence jumps from ${from} to ${to}: an event was removed`;
export const linkProblem = "does not link to the event before it: an event was inserted, removed or reordered";
export const alteredProblem = "its contents do not match its hash: the event was altered";
export const recorded = (checkpoint: ChainCheckpoint) => (checkpoint.at ? ` of ${checkpoint.at.toISOString()}` : "");
export const rewrittenProblem = (checkpoint: ChainCheckpoint) =>
  `its hash differs from the checkpoint${recorded(checkpoint)}: the log was rewritten up to this event`;
export const shortenedProblem = (count: number, checkpoint: ChainCheckpoint) =>
  `the log ends at event ${count}, but the checkpoint${recorded(checkpoint)} recorded event ${checkpoint.seq}: events were removed from the end`;

/**
 * Checks events pushed in sequence order. Given a start (the whole chain: seq 1 after the
 * genesis hash), the first event's sequence and link are checked too; without one (a range of
 * a parallel verification) they are recorded in `first` for the stitcher, which knows the
 * range before it.
 */
export class ChainWalk {
  private expectedSeq: number;
  private prevHash: string | null;
  private count = 0;
  private first: WalkResult["first"] = null;
  private failure: BadEvent | null = null;

  constructor(
    start: { seq: number; prevHash: string } | null,
    private readonly checkpoint: ChainCheckpoint | null,
  ) {
    this.expectedSeq = start?.seq ?? 0;
    this.prevHash = start?.prevHash ?? null;
  }

  /** Checks the next event as read (the cursor's rows); false once one is bad (the walk stops there). */
  push(row: StoredAuditRow): boolean {
    const computed = createHash("sha256").update(canonicalEncodingOfStored(row)).digest("hex");
    return this.check(Number(row.seq), row.id, row.prevHash, row.hash, computed);
  }

  /** Checks the next event, given the SHA-256 of its canonical encoding; false once one is bad. */
  check(seq: number, id: string, prevHash: string, hash: string, computed: string): boolean {
    if (this.first === null) this.first = { seq, id, prevHash };
    if (this.prevHash !== null) {
      if (seq !== this.expectedSeq) return this.fail(seq, id, removedProblem(this.expectedSeq - 1, seq));
      if (prevHash !== this.prevHash) return this.fail(seq, id, linkProblem);
    }
    if (computed !== hash) return this.fail(seq, id, alteredProblem);
    const checkpoint = this.checkpoint;
    if (checkpoint !== null && seq === checkpoint.seq && hash !== checkpoint.hash) return this.fail(seq, id, rewrittenProblem(checkpoint));
    this.prevHash = hash;
    this.expectedSeq = seq + 1;
    this.count += 1;
    return true;
  }

  /**
   * The hash the next event must carry as its link, for a caller that compares it byte for byte
   * (copy-binary.ts); null before a range's first event, whose link is the stitcher's.
   */
  get linkExpected(): string | null {
    return this.first === null ? null : this.prevHash;
  }

  /**
   * check() for an event whose link and stored hash the caller has found equal to linkExpected
   * and to `hash` (its computed hash) without making strings of them: only the bookkeeping. False
   * — nothing recorded — when check() must decide: a sequence gap, the checkpointed event, or no
   * event before it in this walk.
   */
  passed(seq: number, hash: string): boolean {
    if (this.first === null || this.prevHash === null || seq !== this.expectedSeq) return false;
    if (this.checkpoint !== null && seq === this.checkpoint.seq) return false;
    this.prevHash = hash;
    this.expectedSeq = seq + 1;
    this.count += 1;
    return true;
  }

  get result(): WalkResult {
    const last = this.count > 0 && this.prevHash !== null ? { seq: this.expectedSeq - 1, hash: this.prevHash } : null;
    return { count: this.count, first: this.first, last, failure: this.failure };
  }

  private fail(seq: number, id: string | null, problem: string): false {
    this.failure = { seq, id, problem };
    return false;
  }
}
