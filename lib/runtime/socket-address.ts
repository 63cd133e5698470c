import http from "node:http";

/** The header that carries the TCP peer's address to pages and actions (set here, never trusted from clients). */
export const SOCKET_ADDRESS_HEADER = "x-portal-socket-address";

/**
 * Next.js hides the socket from pages and server actions, and fills X-Forwarded-For with the
 * socket address only when the client sent none — so a client could choose its own address.
 * Stamping every incoming request with the real peer address (overwriting any client value)
 * lets "socket" mode mean the socket.
 */
export function stampSocketAddresses(): void {
  const proto = http.Server.prototype as http.Server & { __portalStamped?: boolean };
  if (proto.__portalStamped) return;
  proto.__portalStamped = true;
  const emit = proto.emit;
  proto.emit = function stampedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[SOCKET_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof proto.emit;
}
