import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ApiLedger", template: "%s · ApiLedger" },
  description: "Inventory of internal APIs and their ISM network-API controls.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en-AU">
      <body>{children}</body>
    </html>
  );
}
