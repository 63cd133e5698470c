import type { PortalConfigInput } from "../schema";
import { councilProfile } from "./council";

/** The shipped profiles: the council portal is the default; the others are example models. */
export const profiles: Record<string, PortalConfigInput> = {
  council: councilProfile,
};
export const defaultProfileName = "council";
