// GET /portal/payments/remittances/[id]/pdf — a remittance advice as PDF to print (AUP-4.1); needs payments read; recorded (AUP-5.2f).
import { remittanceDownload } from "../../../remittance-download";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return remittanceDownload((await params).id, "pdf");
}
