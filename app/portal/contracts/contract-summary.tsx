import type { ContractSummary } from "@/lib/contracts/queries";
import { contractReference, contractStatusNames } from "@/lib/contracts/rules";
import { SummaryList } from "../../_components/summary-list";
import { Tag } from "../../_components/tag";
import { formatDateTime } from "../../_lib/format-time";

export function ContractStatusTag({ status }: { status: ContractSummary["status"] }) {
  return <Tag colour={status === "signed" ? "green" : status === "withdrawn" ? "grey" : "blue"}>{contractStatusNames[status]}</Tag>;
}

/** A contract's facts and, once signed, its signature record (AUP-2.1c); shared by the portal and the back office. */
export function ContractSummaryList({ contract }: { contract: ContractSummary }) {
  return (
    <SummaryList
      rows={[
        { key: "Reference", value: contractReference(contract.number) },
        { key: "Status", value: <ContractStatusTag status={contract.status} /> },
        { key: "Provider", value: contract.organisationName },
        { key: "Care package", value: `${contract.carePackageRef}: ${contract.service} for ${contract.individualName}` },
        { key: "Published", value: `${formatDateTime(contract.publishedAt)} by ${contract.publishedByLabel}` },
        { key: "Document", value: `${contract.fileName} (${Math.ceil(contract.documentBytes / 1024)} KB)` },
        { key: "Document SHA-256", value: <code className="portal-hash" style={{ wordBreak: "break-all" }}>{contract.documentSha256}</code> },
        ...(contract.status === "signed" && contract.signedAt
          ? [
              { key: "Signed by", value: contract.signedName ?? "" },
              { key: "Signed at", value: formatDateTime(contract.signedAt) },
              { key: "Signed from", value: contract.signedClientAddress ?? "Not recorded" },
            ]
          : []),
      ]}
    />
  );
}
