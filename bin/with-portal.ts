import { openPortal, type OpenPortalOptions, type Portal } from "../lib/runtime/open-portal";

/** Opens the portal for one command and always closes it (releasing the embedded data folder). */
export async function withPortal<T>(options: OpenPortalOptions, run: (portal: Portal) => Promise<T>): Promise<T> {
  const portal = await openPortal({ seedDemoWhenEmpty: false, ...options });
  try {
    return await run(portal);
  } finally {
    await portal.close();
  }
}
