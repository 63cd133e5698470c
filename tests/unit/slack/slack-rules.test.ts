import { describe, expect, it } from "vitest";
import { requestMessage, ACTION_IDS, type RequestMessageView } from "@/bots/slack/blocks/request-message";
import { rejectModal, REJECT_VIEW_ID } from "@/bots/slack/blocks/reject-modal";
import { decodeActionValue, encodeActionValue } from "@/lib/slack/action-value";
import { requestWarnings, senderNeedsCheck, slackApprovalBlocker } from "@/lib/slack/rules";
import { slackSettingsFromEnv } from "@/lib/slack/settings";
import { requestTestConfig } from "@/tests/unit/requests/request-config";

const config = requestTestConfig();
const REQUEST = "3f1c9a52-6d4e-4f0b-9a51-2f7e8b0c1d23";
const cleanSender = { email: "lee.jones@meadowbank-care.example.org", displayName: "Lee Jones", authenticated: true, emailMatchesAccount: true, nameMatchesAccount: true };

describe("Slack: what may be approved from Slack", () => {
  it("UAP-A.3 refuses a change of Lead correspondent until both confirmations are recorded in the portal", () => {
    const none = slackApprovalBlocker({ type: "lead_change", leadConfirmations: {}, relatedSystems: undefined, sender: null }, config);
    expect(none).toMatch(/telephone and email confirmations/);
    expect(none).toMatch(/portal/);
    const one = slackApprovalBlocker({ type: "lead_change", leadConfirmations: { telephone: { at: "x" } }, relatedSystems: undefined, sender: null }, config);
    expect(one).toMatch(/email confirmation/);
    expect(slackApprovalBlocker({ type: "lead_change", leadConfirmations: { telephone: { at: "x" }, email: { at: "y" } }, relatedSystems: undefined, sender: null }, config)).toBeNull();
  });

  it.each([
    { why: "failed sender authentication", sender: { ...cleanSender, authenticated: false } },
    { why: "another address than the account's", sender: { ...cleanSender, emailMatchesAccount: false } },
    { why: "a name that does not match", sender: { ...cleanSender, nameMatchesAccount: false } },
  ])("UAP-A.8 refuses an emailed request whose sender gave $why", ({ sender }) => {
    expect(senderNeedsCheck(sender)).toBe(true);
    expect(slackApprovalBlocker({ type: "reinstatement", leadConfirmations: undefined, relatedSystems: undefined, sender }, config)).toMatch(/UAP-A.8/);
  });

  it("allows a request with a clean sender, or none", () => {
    expect(slackApprovalBlocker({ type: "reinstatement", leadConfirmations: undefined, relatedSystems: undefined, sender: cleanSender }, config)).toBeNull();
    expect(slackApprovalBlocker({ type: "new_user", leadConfirmations: undefined, relatedSystems: undefined, sender: null }, config)).toBeNull();
  });
});

describe("Slack: queue message warnings", () => {
  const base = { sender: null, missingConfirmations: [], licence: null, licenceAlertThresholdPercent: 80, emailAttested: false };

  it("warns of an unverified sender, missing confirmations and licences near the limit (CC-2a)", () => {
    const warnings = requestWarnings({ ...base, sender: { ...cleanSender, authenticated: false }, missingConfirmations: ["telephone", "email"], licence: { used: 9, allocation: 10 } });
    expect(warnings).toEqual([expect.stringContaining("Unverified email sender"), expect.stringContaining("telephone and email"), expect.stringContaining("9 of 10")]);
  });

  it("says nothing when all is well", () => {
    expect(requestWarnings({ ...base, sender: cleanSender, licence: { used: 3, allocation: 10 } })).toEqual([]);
  });
});

describe("Slack: button values", () => {
  it("round-trips the request and the version seen, and rejects anything else", () => {
    expect(decodeActionValue(encodeActionValue({ requestId: REQUEST, version: 3 }))).toEqual({ requestId: REQUEST, version: 3 });
    for (const bad of [undefined, "", "not json", JSON.stringify({ r: "nope", v: 1 }), JSON.stringify({ r: REQUEST, v: 0 }), JSON.stringify({ r: REQUEST })]) {
      expect(decodeActionValue(bad)).toBeNull();
    }
  });
});

describe("Slack: settings", () => {
  it("is off without any Slack setting, and on with the three", () => {
    expect(slackSettingsFromEnv({})).toBeNull();
    const settings = slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_CHANNEL_ID: "C0123", SLACK_API_URL: "http://127.0.0.1:9/api" });
    expect(settings).toMatchObject({ channelId: "C0123", apiUrl: "http://127.0.0.1:9/api/", appToken: null, port: 3001 });
  });

  it("refuses a partial configuration, naming what is missing", () => {
    expect(() => slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(/SLACK_SIGNING_SECRET/);
  });
});

describe("Slack: Block Kit", () => {
  const view: RequestMessageView = {
    requestId: REQUEST,
    reference: "REQ-000042",
    version: 2,
    title: "New user – Jo Example",
    typeLabel: "New user",
    organisationName: "Meadowbank Care",
    personName: "Jo <b>Example</b>",
    requestedRole: "Care coordinator",
    dueText: "Tuesday 12 May 2026 at 10:00",
    statusLabel: "Received",
    priorityLabel: "Normal",
    assigneeName: null,
    open: true,
    alert: "Overdue",
    warnings: ["Licences near the limit: 9 of 10 in use (CC-2a)."],
    outcome: null,
    portalUrl: "https://portal.example.org/staff/requests/x",
  };

  it("shows the buttons with the version seen while open, and only the portal link once actioned", () => {
    const open = requestMessage(view);
    const actions = open.blocks.find((b) => b.type === "actions") as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.assignToMe, ACTION_IDS.openInPortal]);
    expect(decodeActionValue(actions.elements[0]!.value)).toEqual({ requestId: REQUEST, version: 2 });
    expect(open.text).toContain("Overdue: REQ-000042");
    expect(JSON.stringify(open.blocks)).toContain("Jo &lt;b&gt;Example&lt;/b&gt;");

    const done = requestMessage({ ...view, open: false, outcome: "Approved by Sam Patel (slack)" });
    const doneActions = done.blocks.find((b) => b.type === "actions") as { elements: { action_id: string }[] };
    expect(doneActions.elements.map((e) => e.action_id)).toEqual([ACTION_IDS.openInPortal]);
    expect(done.text).toContain("Approved by Sam Patel");
  });

  it("the reject modal carries the request and version, and asks for the reason", () => {
    const modal = rejectModal({ requestId: REQUEST, version: 5 }, "REQ-000042", { channelId: "C1" });
    expect(modal.callback_id).toBe(REJECT_VIEW_ID);
    const metadata = JSON.parse(modal.private_metadata!) as { value: string; channelId: string };
    expect(decodeActionValue(metadata.value)).toEqual({ requestId: REQUEST, version: 5 });
    expect(metadata.channelId).toBe("C1");
  });
});
