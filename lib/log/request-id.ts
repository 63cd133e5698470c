import { randomUUID } from "node:crypto";

/** The header that carries a request's ID: set by the proxy on the request and on the response. */
export const REQUEST_ID_HEADER = "x-request-id";

/** An ID a load balancer may already have given the request: short, plain characters only. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request's ID: the one an upstream proxy set (so a line in its log and ours can be
 * matched), when it looks like an ID; otherwise a fresh UUID. Anything else a client sends
 * is ignored, so no one can write arbitrary text into our logs through this header.
 */
export function requestIdFor(incoming: string | null | undefined): string {
  const value = incoming?.trim();
  return value && ACCEPTABLE.test(value) ? value : randomUUID();
}

/** Path segments that look like tokens (set-up and reset links carry one in the path). */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;

/** A path for the log: any segment that could be a secret link's token is replaced. */
export function loggablePath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (TOKEN_SEGMENT.test(segment) ? ":token" : segment))
    .join("/");
}
