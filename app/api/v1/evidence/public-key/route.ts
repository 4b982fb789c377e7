import { apiRead } from "@/lib/rest/api-route";
import { getSigningKey } from "@/lib/evidence/queries";

/** The installation's evidence-signing public key (PEM); its SHA-256 fingerprint in a header. */
export const GET = apiRead(async ({ principal }) => {
  const key = await getSigningKey(principal.actor);
  return new Response(key.publicKeyPem, {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": 'attachment; filename="apiledger-evidence-public-key.pem"',
      "X-Key-Fingerprint-SHA256": key.fingerprint,
    },
  });
});
