import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Database } from "../db/types";
import type { Env } from "../env";
import { deliverDueMessages, type DeliveryReport } from "../mail/deliver-outbox";
import { mailDeliveryConfigured } from "../mail/delivery-mode";
import { stderrMailLog, type MailLog } from "../mail/mail-log";
import { resendSenderFromEnv } from "../mail/resend-sender";
import type { DeliveryPolicy } from "../mail/rules";
import type { MailSender } from "../mail/sender";

/** How often the worker looks for due messages. */
export const MAIL_WORKER_INTERVAL_MS = 5_000;
const BATCH_SIZE = 20;

export interface MailWorker {
  /** Runs a delivery now unless one is running (then waits for that one); null once stopped. */
  runOnce(): Promise<DeliveryReport | null>;
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

export interface StartMailWorkerOptions {
  db: Database;
  clock: Clock;
  config: Pick<PortalConfig, "operator">;
  env?: Env;
  intervalMs?: number;
  batchSize?: number;
  /** Another mail service than Resend (tests). Used only when delivery is configured. */
  sender?: MailSender;
  policy?: Partial<DeliveryPolicy>;
  log?: MailLog;
}

/**
 * The in-process delivery worker: when RESEND_API_KEY is set, sends due outbox messages every
 * few seconds. Returns null (and sends nothing) without the key — messages then stay in the
 * outbox for staff to read. Runs never overlap: a tick that finds one still running is skipped.
 * The timer is unref'd, so it never keeps the process alive on its own.
 */
export function startMailWorker(options: StartMailWorkerOptions): MailWorker | null {
  const env = options.env ?? process.env;
  if (!mailDeliveryConfigured(env)) return null;
  const sender = options.sender ?? resendSenderFromEnv(env, options.config);
  if (!sender) return null;
  const log = options.log ?? stderrMailLog;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  let running: Promise<DeliveryReport | null> | null = null;
  let stopped = false;

  const run = async (): Promise<DeliveryReport | null> => {
    const total: DeliveryReport = { claimed: 0, sent: 0, retrying: 0, dead: 0, superseded: 0 };
    try {
      // A full batch suggests more are waiting: carry on until the queue is drained or we stop.
      for (;;) {
        const report = await deliverDueMessages({ db: options.db, clock: options.clock, sender, batchSize, policy: options.policy, log });
        for (const key of Object.keys(total) as (keyof DeliveryReport)[]) total[key] += report[key];
        if (stopped || report.claimed < batchSize) return total;
      }
    } catch (error) {
      // The database may be briefly unreachable: say so and try again at the next tick.
      log("error", "mail.worker_failed", { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      return null;
    }
  };

  const runOnce = (): Promise<DeliveryReport | null> => {
    if (stopped) return Promise.resolve(null);
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void runOnce(), options.intervalMs ?? MAIL_WORKER_INTERVAL_MS);
  timer.unref();
  // Whatever queued up while the server was down goes out now, not a tick later.
  void runOnce();
  log("info", "mail.worker_started", { intervalMs: options.intervalMs ?? MAIL_WORKER_INTERVAL_MS });

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
