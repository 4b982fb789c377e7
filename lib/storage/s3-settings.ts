import { SecretSettingError, readSettingFile } from "@/lib/runtime/secrets";

/** Object Lock retention an evidence bundle gets when its bucket has Object Lock enabled. */
export type S3Lock = { mode: "COMPLIANCE" | "GOVERNANCE"; days: number };

export type S3Settings = {
  endpoint: string;
  bucket: string;
  region: string;
  /** Key prefix inside the bucket ("" or ending in "/"), so one bucket can hold several installations. */
  prefix: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  /** PEM text of the CA that signed the endpoint's certificate (an agency CA), if not a public one. */
  ca: string | null;
  lock: S3Lock;
};

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^(?:[A-Za-z0-9!_.*'()-]+\/)*$/;

/**
 * The S3-compatible store's settings (APILEDGER_BLOB_STORE=s3), checked at start so a typo stops the
 * server with the setting's name rather than failing the first upload. Credentials are explicit: the
 * SDK's default chain would also ask the cloud's instance-metadata address, which an air-gapped
 * network does not have.
 */
export function s3Settings(env: Record<string, string | undefined> = process.env): S3Settings {
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new SecretSettingError(`APILEDGER_BLOB_STORE=s3 needs ${name}.`);
    return value;
  };
  const endpoint = need("APILEDGER_S3_ENDPOINT");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SecretSettingError("APILEDGER_S3_ENDPOINT must be a URL such as https://s3.agency.internal:9000.");
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash)
    throw new SecretSettingError(
      "APILEDGER_S3_ENDPOINT must be an http(s) URL without credentials, query or fragment (keys go in APILEDGER_S3_ACCESS_KEY_ID and APILEDGER_S3_SECRET_ACCESS_KEY).",
    );
  const bucket = need("APILEDGER_S3_BUCKET");
  if (!BUCKET.test(bucket) || bucket.includes(".."))
    throw new SecretSettingError(
      "APILEDGER_S3_BUCKET must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens.",
    );
  const prefix = env.APILEDGER_S3_PREFIX?.trim() ?? "";
  if (!PREFIX.test(prefix) || prefix.length > 200 || prefix.split("/").some((part) => /^\.+$/.test(part)))
    throw new SecretSettingError(
      'APILEDGER_S3_PREFIX must be empty or folder names each ending in "/" (letters, digits and !_.*\'()-), such as "apiledger/".',
    );
  const secretFile = env.APILEDGER_S3_SECRET_ACCESS_KEY_FILE?.trim();
  const secretAccessKey =
    env.APILEDGER_S3_SECRET_ACCESS_KEY?.trim() ||
    (secretFile ? readSettingFile("APILEDGER_S3_SECRET_ACCESS_KEY_FILE", secretFile).trim() : "");
  if (!secretAccessKey)
    throw new SecretSettingError(
      "APILEDGER_BLOB_STORE=s3 needs APILEDGER_S3_SECRET_ACCESS_KEY or APILEDGER_S3_SECRET_ACCESS_KEY_FILE.",
    );
  const caFile = env.APILEDGER_S3_CA_FILE?.trim();
  const ca = caFile ? readSettingFile("APILEDGER_S3_CA_FILE", caFile) : null;
  if (ca !== null && !ca.includes("-----BEGIN CERTIFICATE-----"))
    throw new SecretSettingError(`APILEDGER_S3_CA_FILE names ${caFile}, which holds no PEM certificate.`);
  const pathStyle = env.APILEDGER_S3_PATH_STYLE?.trim().toLowerCase() || "true";
  if (pathStyle !== "true" && pathStyle !== "false")
    throw new SecretSettingError('APILEDGER_S3_PATH_STYLE must be "true" (the default) or "false".');
  const mode = env.APILEDGER_S3_LOCK_MODE?.trim().toUpperCase() || "COMPLIANCE";
  if (mode !== "COMPLIANCE" && mode !== "GOVERNANCE")
    throw new SecretSettingError('APILEDGER_S3_LOCK_MODE must be "compliance" (the default) or "governance".');
  const daysText = env.APILEDGER_S3_LOCK_DAYS?.trim() || "2557";
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > 36500)
    throw new SecretSettingError("APILEDGER_S3_LOCK_DAYS must be a whole number of days from 1 to 36500.");
  const accessKeyId = need("APILEDGER_S3_ACCESS_KEY_ID");
  // Both go into signed headers: anything but printable ASCII would break or smuggle into them.
  if (!/^[\x21-\x7e]{1,128}$/.test(accessKeyId))
    throw new SecretSettingError("APILEDGER_S3_ACCESS_KEY_ID must be printable ASCII without spaces.");
  if (!/^[\x21-\x7e]{1,256}$/.test(secretAccessKey))
    throw new SecretSettingError("The S3 secret access key must be printable ASCII without spaces.");
  return {
    endpoint: url.toString().replace(/\/$/, ""),
    bucket,
    region: env.APILEDGER_S3_REGION?.trim() || "us-east-1",
    prefix,
    forcePathStyle: pathStyle === "true",
    accessKeyId,
    secretAccessKey,
    ca,
    lock: { mode, days },
  };
}
