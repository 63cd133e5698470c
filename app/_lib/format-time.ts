/** An instant as staff read it: "24 November 2026, 2:05pm" in the UK. */
const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
  timeZone: "Europe/London",
});

export function formatDateTime(instant: Date): string {
  return dateTime.format(instant).replace(" am", "am").replace(" pm", "pm");
}

/** "14:05" style times for short waits such as lockouts. */
export function formatTime(instant: Date): string {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" }).format(instant);
}
