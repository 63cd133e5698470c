import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files it loads from its own package folder at run time;
  // node-postgres has optional native bindings; Bolt, imapflow and mailparser are Node servers
  // and parsers loaded only when Slack or the mailbox is configured. All stay unbundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "@node-rs/argon2", "@slack/bolt", "imapflow", "mailparser", "read-excel-file"],
  // Lets several engineers (or a bench beside a test run) build on one checkout without
  // overwriting each other's output: NEXT_DIST_DIR=.next-bench npm run build && … next start.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // A bulk-upload file may be 5 MB (lib/imports); the default 1 MB refused larger ones with a 500.
  // Keep equal to ACTION_BODY_LIMIT_BYTES in lib/web/request-guard.ts, which refuses more in words.
  // NEXT_SERVER_MINIFY=0 keeps the server bundle's names readable in a CPU profile (bench/, never a release).
  experimental: { serverActions: { bodySizeLimit: "6mb" }, serverMinification: process.env.NEXT_SERVER_MINIFY !== "0" },
  reactStrictMode: true,
};

export default nextConfig;
