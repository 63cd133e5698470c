import "server-only";
import { headers } from "next/headers";
import type { Actor } from "@/lib/audit";
import type { ClientInfo } from "@/lib/auth/deps";
import type { Viewer } from "@/lib/auth/permissions";
import { pickClientAddress } from "@/lib/auth/trusted-networks";
import type { PortalConfig } from "@/lib/config";
import { SOCKET_ADDRESS_HEADER } from "@/lib/runtime/socket-address";

/** Who is on the other end of this request: address (as configured) and user agent. */
export async function clientInfo(config: PortalConfig): Promise<ClientInfo> {
  const h = await headers();
  const socket = h.get(SOCKET_ADDRESS_HEADER) || null;
  const forwarded = h.get("x-forwarded-for");
  // Without the stamp (a platform that runs no Node server of ours, e.g. Vercel), the platform's own header is all there is.
  const fallback = socket ?? h.get("x-real-ip") ?? forwarded?.split(",").pop()?.trim() ?? null;
  return {
    clientAddress: pickClientAddress(config.network.clientAddressFrom, fallback, forwarded),
    userAgent: h.get("user-agent")?.slice(0, 512) ?? null,
  };
}

/** The actor for a signed-in person acting through the web. */
export async function webActor(config: PortalConfig, viewer: Viewer): Promise<Actor> {
  return { accountId: viewer.accountId, label: viewer.fullName, channel: "web", ...(await clientInfo(config)) };
}
