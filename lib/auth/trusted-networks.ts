import ipaddr from "ipaddr.js";

/** True when the address lies in one of the trusted ranges (UCP-NET-1); unknown addresses are not trusted. */
export function isTrustedAddress(address: string | null, ranges: readonly string[]): boolean {
  if (!address) return false;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.trim());
  } catch {
    return false;
  }
  return ranges.some((range) => {
    const [network, prefix] = ipaddr.parseCIDR(range);
    const candidate = network.kind() === "ipv6" && parsed.kind() === "ipv4" ? (parsed as ipaddr.IPv4).toIPv4MappedAddress() : parsed;
    return candidate.kind() === network.kind() && candidate.match([network, prefix] as [typeof network, number]);
  });
}

/**
 * Picks the client's address: the socket's, or (only when configured, behind a proxy that
 * appends to it) the right-most X-Forwarded-For entry — the one our proxy added. Entries to
 * its left came from the client and could name any address, a trusted one included.
 */
export function pickClientAddress(mode: "socket" | "x-forwarded-for", socketAddress: string | null, forwardedFor: string | null): string | null {
  if (mode === "x-forwarded-for" && forwardedFor) {
    const last = forwardedFor.split(",").at(-1)?.trim();
    if (last && ipaddr.isValid(last)) return last;
  }
  return socketAddress;
}
