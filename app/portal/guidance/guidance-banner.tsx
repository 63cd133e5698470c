import Link from "next/link";
import type { Viewer } from "@/lib/auth/permissions";
import { GUIDANCE_PATH, leadGuidanceBannerDue } from "@/lib/organisations/lead-guidance";
import { NotificationBanner } from "../../_components/notification-banner";
import { portal } from "../../_lib/portal";

/**
 * UAP-A.1: on a new Lead correspondent's home, for their first 7 days and until they have read
 * it, a banner pointing to the user guidance. Renders nothing otherwise.
 */
export async function GuidanceBanner({ viewer }: { viewer: Viewer }) {
  const { database, config, clock } = await portal();
  if (!(await leadGuidanceBannerDue(database.db, config, viewer, clock.now()))) return null;
  const lead = config.securityRoles.find((r) => r.key === config.leadRoleKey)?.name ?? "Lead correspondent";
  return (
    <NotificationBanner title="Welcome" heading={`You are ${viewer.organisationName}'s ${lead}`} titleId="guidance-banner-title">
      <p className="govuk-body" data-testid="guidance-banner">
        Before you start,{" "}
        <Link className="govuk-notification-banner__link" href={GUIDANCE_PATH}>
          read the guidance on using the portal
        </Link>
        : what it is for, your duties, and how to ask for and suspend your organisation&apos;s users.
      </p>
    </NotificationBanner>
  );
}
