import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ApiLedger", template: "%s · ApiLedger" },
  description: "Inventory of internal APIs and their ISM network-API controls.",
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, the not-found page included: its scripts need this request's
  // CSP nonce (proxy.ts), which a page prerendered at build time cannot carry.
  await connection();
  return (
    <html lang="en-AU">
      <body>{children}</body>
    </html>
  );
}
