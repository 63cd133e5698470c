import type { AuthDeps } from "../auth/deps";
import type { Portal } from "./open-portal";

export function authDeps(portal: Portal): AuthDeps {
  return { db: portal.database.db, config: portal.config, clock: portal.clock, secretsKey: portal.secretsKey, baseUrl: portal.baseUrl };
}
