/** A 404 that says nothing more (AUP-5.2d). */
export const notFoundResponse = () => new Response("Page not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** A PDF download: never cached, never sniffed as anything else. */
export function pdfResponse(bytes: Uint8Array, fileName: string, disposition: "inline" | "attachment"): Response {
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${disposition}; filename="${fileName.replace(/["\\\r\n]/g, "_")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
