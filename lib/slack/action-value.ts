import { z } from "zod";

/**
 * What a button or modal carries back from Slack: the request and the version the staff member
 * saw. Acting with that version is what makes two clicks at once apply once (the second finds a
 * newer version and is told someone acted first). Slack echoes it untouched, but it arrives
 * over the network, so it is parsed like any other input.
 */
export const actionValueSchema = z.object({
  requestId: z.uuid(),
  version: z.number().int().min(1),
});
export type ActionValue = z.infer<typeof actionValueSchema>;

export function encodeActionValue(value: ActionValue): string {
  return JSON.stringify({ r: value.requestId, v: value.version });
}

/** The value, or null when it is not one of ours. */
export function decodeActionValue(text: string | undefined | null): ActionValue | null {
  if (!text) return null;
  try {
    const raw = JSON.parse(text) as { r?: unknown; v?: unknown };
    const parsed = actionValueSchema.safeParse({ requestId: raw.r, version: raw.v });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
