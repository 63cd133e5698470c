import type { PortalConfig } from "../config";

/** The one message for every sign-in failure: it never says which part was wrong. */
export function signInFailedMessage(config: PortalConfig): string {
  return (
    `The details you entered are not right, or your account cannot sign in at the moment. Check them and start again. ` +
    `After ${config.signIn.lockoutAfterFailures} failed attempts you will not be able to sign in for ${config.signIn.lockoutMinutes} minutes. ` +
    `If your account has been suspended, email ${config.operator.mailbox} from your account's own address to ask for it to be reinstated.`
  );
}
