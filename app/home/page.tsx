import { redirect } from "next/navigation";
import { requireViewer } from "../_lib/viewer";

// GET /home — where sign-in lands: provider users to the portal, operator staff to the back office.
export default async function HomePage(): Promise<never> {
  const viewer = await requireViewer();
  redirect(viewer.audience === "operator" ? "/staff" : "/portal");
}
