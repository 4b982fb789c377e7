import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { s3Settings } from "@/lib/storage/s3-settings";
import { blobStoreKind } from "@/lib/storage/blob-store";

const base = {
  APILEDGER_S3_ENDPOINT: "https://s3.agency.internal:9000",
  APILEDGER_S3_BUCKET: "apiledger-evidence",
  APILEDGER_S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
  APILEDGER_S3_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

describe("the S3 store's settings", () => {
  it("takes the endpoint, bucket and keys, with path-style addressing, us-east-1 and 7-year compliance locks by default", () => {
    expect(s3Settings(base)).toEqual({
      endpoint: "https://s3.agency.internal:9000",
      bucket: "apiledger-evidence",
      region: "us-east-1",
      prefix: "",
      forcePathStyle: true,
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: base.APILEDGER_S3_SECRET_ACCESS_KEY,
      ca: null,
      lock: { mode: "COMPLIANCE", days: 2557 },
    });
    expect(
      s3Settings({
        ...base,
        APILEDGER_S3_PATH_STYLE: "false",
        APILEDGER_S3_LOCK_MODE: "governance",
        APILEDGER_S3_LOCK_DAYS: "30",
        APILEDGER_S3_PREFIX: "prod/apiledger/",
        APILEDGER_S3_REGION: "ap-southeast-2",
      }),
    ).toMatchObject({
      forcePathStyle: false,
      lock: { mode: "GOVERNANCE", days: 30 },
      prefix: "prod/apiledger/",
      region: "ap-southeast-2",
    });
  });

  it("reads the secret and the agency CA from files, naming the setting when a file is missing or holds no certificate", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-s3-"));
    fs.writeFileSync(path.join(dir, "secret"), "from-a-file\n");
    fs.writeFileSync(path.join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    fs.writeFileSync(path.join(dir, "not-a-ca"), "hello");
    const { APILEDGER_S3_SECRET_ACCESS_KEY: _, ...noSecret } = base;
    expect(
      s3Settings({
        ...noSecret,
        APILEDGER_S3_SECRET_ACCESS_KEY_FILE: path.join(dir, "secret"),
        APILEDGER_S3_CA_FILE: path.join(dir, "ca.pem"),
      }),
    ).toMatchObject({ secretAccessKey: "from-a-file", ca: expect.stringContaining("BEGIN CERTIFICATE") });
    expect(() => s3Settings(noSecret)).toThrow(/APILEDGER_S3_SECRET_ACCESS_KEY or APILEDGER_S3_SECRET_ACCESS_KEY_FILE/);
    expect(() => s3Settings({ ...base, APILEDGER_S3_CA_FILE: path.join(dir, "missing.pem") })).toThrow(
      /APILEDGER_S3_CA_FILE names .* cannot be read/,
    );
    expect(() => s3Settings({ ...base, APILEDGER_S3_CA_FILE: path.join(dir, "not-a-ca") })).toThrow(
      /no PEM certificate/,
    );
  });

  it("refuses hostile and mistaken values with the setting's name, never echoing the secret", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ APILEDGER_S3_ENDPOINT: "" }, /needs APILEDGER_S3_ENDPOINT/],
      [{ APILEDGER_S3_ENDPOINT: "s3.agency.internal" }, /APILEDGER_S3_ENDPOINT must be a URL/],
      [{ APILEDGER_S3_ENDPOINT: "ftp://s3.agency.internal" }, /http\(s\) URL/],
      [{ APILEDGER_S3_ENDPOINT: "https://key:secret@s3.agency.internal" }, /without credentials/],
      [{ APILEDGER_S3_ENDPOINT: "https://s3.agency.internal/?x-id=1" }, /without credentials, query/],
      [{ APILEDGER_S3_BUCKET: "Apiledger" }, /bucket name/],
      [{ APILEDGER_S3_BUCKET: "a\u202eb-bucket" }, /bucket name/],
      [{ APILEDGER_S3_BUCKET: "bucket\0" }, /bucket name/],
      [{ APILEDGER_S3_BUCKET: "../etc" }, /bucket name/],
      [{ APILEDGER_S3_BUCKET: "a..b" }, /bucket name/],
      [{ APILEDGER_S3_PREFIX: "../" }, /APILEDGER_S3_PREFIX/],
      [{ APILEDGER_S3_PREFIX: "no-slash" }, /APILEDGER_S3_PREFIX/],
      [{ APILEDGER_S3_PREFIX: "a\u202e/" }, /APILEDGER_S3_PREFIX/],
      [{ APILEDGER_S3_PREFIX: "/abs/" }, /APILEDGER_S3_PREFIX/],
      [{ APILEDGER_S3_ACCESS_KEY_ID: "AKID\u202eX" }, /ACCESS_KEY_ID must be printable ASCII/],
      [{ APILEDGER_S3_ACCESS_KEY_ID: "AKID\r\nX-Injected: 1" }, /ACCESS_KEY_ID must be printable ASCII/],
      [{ APILEDGER_S3_SECRET_ACCESS_KEY: "s\u0000cret\ud800" }, /secret access key must be printable ASCII/],
      [{ APILEDGER_S3_PATH_STYLE: "yes" }, /APILEDGER_S3_PATH_STYLE/],
      [{ APILEDGER_S3_LOCK_MODE: "legal-hold" }, /APILEDGER_S3_LOCK_MODE/],
      [{ APILEDGER_S3_LOCK_DAYS: "0" }, /APILEDGER_S3_LOCK_DAYS/],
      [{ APILEDGER_S3_LOCK_DAYS: "7.5" }, /APILEDGER_S3_LOCK_DAYS/],
      [{ APILEDGER_S3_LOCK_DAYS: "1e9" }, /APILEDGER_S3_LOCK_DAYS/],
    ];
    for (const [change, message] of cases) {
      let thrown: Error | null = null;
      try {
        s3Settings({ ...base, ...change });
      } catch (error) {
        thrown = error as Error;
      }
      expect(thrown?.message, JSON.stringify(change)).toMatch(message);
      expect(thrown?.message).not.toContain("secret@");
      expect(thrown?.message).not.toContain(base.APILEDGER_S3_SECRET_ACCESS_KEY);
    }
  });

  it("is checked when APILEDGER_BLOB_STORE=s3 is read, so a wrong setting stops the start", () => {
    const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;
    expect(blobStoreKind(env({ ...base, APILEDGER_BLOB_STORE: "s3" }))).toBe("s3");
    expect(() => blobStoreKind(env({ APILEDGER_BLOB_STORE: "s3" }))).toThrow(/needs APILEDGER_S3_ENDPOINT/);
    expect(() => blobStoreKind(env({ APILEDGER_BLOB_STORE: "minio" }))).toThrow(/"local", "postgres" or "s3"/);
  });
});
