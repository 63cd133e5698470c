import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors";

/**
 * PGlite lets only one process use a data folder: a second one silently loses its writes.
 * The process that opens the folder holds this lock file (its pid inside) until it closes.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "portal.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          "locked",
          `data folder ${dataDir} is in use by process ${holder}`,
          `The embedded database in ${dataDir} is in use by another process (pid ${holder}), probably the running portal. ` +
            `Stop it first, or run this command through the portal, or set DATABASE_URL to use a PostgreSQL server.`,
        );
      }
      // A lock left by a process that has gone (a crash): take it over.
      rmSync(file, { force: true });
    }
  }
  throw new AppError("locked", `could not lock ${dataDir}`, `Could not lock the data folder ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
