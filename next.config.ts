import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The build must not reach the internet (air-gapped installs): no remote images, no telemetry.
  images: { unoptimized: true },
  typedRoutes: false,
  // report.pdf: PDFKit and fontkit run from node_modules as published (they read their own data files).
  // pg-boss: the job queue (lib/jobs/runner.ts) loads its own SQL plans; it runs as published.
  // prom-client and pino: one module for the HTTP server and the route bundles (lib/metrics, lib/log).
  serverExternalPackages: [
    "pdfkit",
    "fontkit",
    "pg-boss",
    "prom-client",
    "pino",
    "@aws-sdk/client-s3",
    "@aws-sdk/lib-storage",
  ],
  // Uploads go through server actions: ISM catalogs (the parser caps them at 25 MB) and documents
  // (APILEDGER_MAX_UPLOAD_MB, at most 100 MB; lib/storage/inspect-upload.ts gives the clear message).
  // authInterrupts: pages refuse with forbidden(), which answers HTTP 403 (app/(dashboard)/forbidden.tsx).
  experimental: {
    serverActions: { bodySizeLimit: "101mb" },
    proxyClientMaxBodySize: "101mb",
    authInterrupts: true,
  },
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default nextConfig;
