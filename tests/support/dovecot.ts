import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres-server";

/**
 * A throwaway Dovecot IMAP server for the email intake tests: a fresh configuration, mailbox
 * folder and passwd-file user in a temporary folder, listening on a free loopback port without
 * TLS, stopped and removed when the tests end (see /work/shared/recipes/README.md).
 *
 * Like postgresAvailability, dovecotAvailability() says synchronously whether it can run: a
 * test file skips its cases (with the reason printed) when it cannot — and under CI=true fails
 * instead, so a missing server is never mistaken for a pass.
 */

export type DovecotAvailability = { ok: true; binary: string } | { ok: false; reason: string };

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

export function dovecotAvailability(env: NodeJS.ProcessEnv = process.env): DovecotAvailability {
  const binary = env.PORTAL_TEST_DOVECOT?.trim() || "/usr/sbin/dovecot";
  if (!existsSync(binary)) {
    return { ok: false, reason: `Dovecot not found at ${binary}. Install it as root: apt-get install -y dovecot-imapd` };
  }
  if (!isRoot()) return { ok: false, reason: "the throwaway Dovecot runs its mail processes as the `mail` user, which needs the tests to run as root" };
  if (spawnSync("id", ["-u", "mail"]).status !== 0) return { ok: false, reason: "there is no `mail` user to own the test mailboxes" };
  return { ok: true, binary };
}

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  stop(): Promise<void>;
}

const CONFIG = `# A throwaway Dovecot for the intake tests (tests/support/dovecot.ts)
protocols = imap
listen = 127.0.0.1
base_dir = @DIR@/run
state_dir = @DIR@/state
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = @DIR@/dovecot.log
default_login_user = nobody
default_internal_user = root
default_internal_group = root
mail_location = maildir:@DIR@/mail/%u
first_valid_uid = 1
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = @PORT@
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u @DIR@/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=@DIR@/mail/%u
}
`;

function idsOf(name: string): { uid: number; gid: number } {
  const uid = Number(spawnSync("id", ["-u", name], { encoding: "utf8" }).stdout.trim());
  const gid = Number(spawnSync("id", ["-g", name], { encoding: "utf8" }).stdout.trim());
  return { uid, gid };
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("data", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Dovecot did not answer on 127.0.0.1:${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts a fresh Dovecot (about 0.2 s) with one user whose mailbox is empty. */
export async function startDovecot(): Promise<DovecotServer> {
  const availability = dovecotAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-dovecot-"));
  // The mail user must be able to enter the folder (mkdtemp makes it 0700, owned by root).
  chmodSync(dir, 0o755);
  for (const sub of ["run", "state", "mail"]) mkdirSync(path.join(dir, sub));
  const mail = idsOf("mail");
  chownSync(path.join(dir, "mail"), mail.uid, mail.gid);
  const user = "brokerage";
  const password = "secret";
  writeFileSync(path.join(dir, "users"), `${user}:{PLAIN}${password}\n`);
  const configFile = path.join(dir, "dovecot.conf");
  const pidFile = path.join(dir, "run", "master.pid");

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGTERM");
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopSync);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(configFile, CONFIG.replaceAll("@DIR@", dir).replaceAll("@PORT@", String(port)));
    const started = spawnSync(availability.binary, ["-c", configFile], { encoding: "utf8", timeout: 30_000 });
    if (started.status === 0) {
      try {
        await waitForPort(port, 10_000);
      } catch (error) {
        stopSync();
        throw error;
      }
      return {
        host: "127.0.0.1",
        port,
        user,
        password,
        dir,
        async stop() {
          process.removeListener("exit", stopSync);
          const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : 0;
          stopSync();
          // Wait for the master to go, so the port is free again.
          for (let i = 0; pid && i < 100; i++) {
            try {
              process.kill(pid, 0);
            } catch {
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        },
      };
    }
    const log = existsSync(path.join(dir, "dovecot.log")) ? readFileSync(path.join(dir, "dovecot.log"), "utf8") : "";
    if (attempt >= 3 || !/Address already in use/i.test(`${started.stderr}${log}`)) {
      stopSync();
      process.removeListener("exit", stopSync);
      throw new Error(`dovecot failed to start (exit ${started.status}):\n${started.stdout}${started.stderr}\n${log}`);
    }
  }
}
