import type { PortalConfigInput } from "../schema";
import { connectingCareProfile } from "./connecting-care";
import { councilProfile } from "./council";
import { universalCarePlanProfile } from "./universal-care-plan";

/** The shipped profiles: the council portal is the default; the others are example models. */
export const profiles: Record<string, PortalConfigInput> = {
  council: councilProfile,
  "connecting-care": connectingCareProfile,
  "universal-care-plan": universalCarePlanProfile,
};
export const defaultProfileName = "council";
