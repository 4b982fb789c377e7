import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The build must not reach the internet (air-gapped installs): no remote images, no telemetry.
  images: { unoptimized: true },
  typedRoutes: false,
  // ISM catalog uploads (about 2.5 MB today) go through a server action; the parser caps them at 25 MB.
  experimental: { serverActions: { bodySizeLimit: "26mb" }, proxyClientMaxBodySize: "26mb" },
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default nextConfig;
