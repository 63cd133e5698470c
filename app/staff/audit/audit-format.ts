/** An event's time as staff read it, to the second: "3 March 2025, 9:30:05am" (UK time). */
const withSeconds = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  second: "2-digit",
  hour12: true,
  timeZone: "Europe/London",
});

export function formatEventTime(instant: Date): string {
  return withSeconds.format(instant).replace(" am", "am").replace(" pm", "pm");
}

/** An event's detail as short "key: value" lines (the CSV export has it whole, as JSON). */
export function detailLines(detail: Record<string, unknown>, maxLength = 300): string[] {
  return Object.entries(detail).map(([key, value]) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return `${key}: ${text.length > maxLength ? `${text.slice(0, maxLength)}…` : text}`;
  });
}

export const channelNames: Record<string, string> = {
  web: "Web",
  email: "Email",
  slack: "Slack",
  cli: "Command line",
  job: "Scheduled job",
  system: "System",
};
