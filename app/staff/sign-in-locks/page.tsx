import type { Metadata } from "next";
import { listSignInLocks } from "@/lib/auth/sign-in-locks";
import { Button } from "../../_components/button";
import { NotificationBanner } from "../../_components/notification-banner";
import { PageTitle } from "../../_components/page-title";
import { formatDateTime } from "../../_lib/format-time";
import { portal } from "../../_lib/portal";
import { viewPage } from "../../_lib/viewer";
import { unlock } from "./actions";

export const metadata: Metadata = { title: "Sign-in locks" };

// GET /staff/sign-in-locks — accounts and client addresses locked after repeated failures.
export default async function SignInLocksPage({ searchParams }: { searchParams: Promise<{ unlocked?: string; problem?: string }> }) {
  await viewPage("/staff/sign-in-locks", { access: { audience: "operator", kind: "requests", level: "edit" } });
  const params = await searchParams;
  const { database, clock, config } = await portal();
  const locks = await listSignInLocks(database.db, clock);
  return (
    <>
      {params.unlocked && (
        <NotificationBanner type="success" heading="Lock lifted">
          <p className="govuk-body">They can try to sign in again now. The unlock is in the audit log.</p>
        </NotificationBanner>
      )}
      {params.problem && (
        <NotificationBanner heading="Nothing to unlock">
          <p className="govuk-body">That lock had already been lifted or had expired.</p>
        </NotificationBanner>
      )}
      <PageTitle caption="Back office">Sign-in locks</PageTitle>
      <p className="govuk-body">
        After {config.signIn.lockoutAfterFailures} failed sign-ins in a row an account, or the address they came from, is locked for{" "}
        {config.signIn.lockoutMinutes} minutes, doubling each time it happens again. Lift a lock only once you are sure the person asking is
        the account&apos;s owner.
      </p>
      {locks.length === 0 ? (
        <p className="govuk-body" data-testid="no-locks">
          No account or address is locked.
        </p>
      ) : (
        <table className="govuk-table portal-table--stack" data-testid="locks">
          <caption className="govuk-table__caption govuk-table__caption--s">Locks in force</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Locked</th>
              <th scope="col" className="govuk-table__header">Until</th>
              <th scope="col" className="govuk-table__header">Times locked</th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {locks.map((lock) => {
              const who = lock.account ? `${lock.account.fullName} (${lock.account.email})` : `Address ${lock.address}`;
              return (
                <tr key={lock.key} className="govuk-table__row">
                  <td className="govuk-table__cell portal-break-anywhere" data-label="Locked">{who}</td>
                  <td className="govuk-table__cell" data-label="Until">{formatDateTime(lock.lockedUntil)}</td>
                  <td className="govuk-table__cell" data-label="Times locked">{lock.lockouts}</td>
                  <td className="govuk-table__cell">
                    <form action={unlock}>
                      <input type="hidden" name="key" value={lock.key} />
                      <Button variant="secondary" className="govuk-!-margin-bottom-0">
                        Unlock <span className="govuk-visually-hidden">{who}</span>
                      </Button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
