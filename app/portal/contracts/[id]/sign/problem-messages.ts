/** What the person is told when signing did not go through; the same words whichever digit was wrong. */
const messages = {
  wrong_digits: "The digits did not match your security number. Try again with the new digits asked for below.",
  challenge_over: "That confirmation has expired. Try again with the digits asked for below.",
  locked: "Too many wrong attempts: signing and signing in are locked for a while. Try again later.",
} as const;

export function problemMessage(reason: string | undefined): string | undefined {
  return reason && reason in messages ? messages[reason as keyof typeof messages] : undefined;
}
