import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import type { Database } from "../db/types";

/** What the sign-in use cases need; every surface passes the same. */
export interface AuthDeps {
  db: Database;
  config: PortalConfig;
  clock: Clock;
  secretsKey: Buffer;
  /** The portal's public address, for links in emails. */
  baseUrl: string;
}

/** Where a request came from, as the surface saw it (see client-address.ts). */
export interface ClientInfo {
  clientAddress: string | null;
  userAgent: string | null;
}
