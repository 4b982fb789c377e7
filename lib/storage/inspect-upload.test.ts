import { describe, expect, it } from "vitest";
import { inspectUpload, maxUploadBytes } from "@/lib/storage/inspect-upload";

const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
const html = Buffer.from("<!DOCTYPE html><html><body><script>fetch('/api/v1/apis')</script></body></html>");
const messageOf = async (name: string, bytes: Uint8Array, max?: number) => {
  try {
    await inspectUpload(name, bytes, max);
  } catch (error) {
    return (error as { fieldErrors: { file: string[] } }).fieldErrors.file[0];
  }
  return "accepted";
};

describe("inspectUpload", () => {
  it("accepts a PDF by its signature and a Markdown file as UTF-8 text, with their SHA-256", async () => {
    const p = await inspectUpload("Access control policy v3.pdf", pdf);
    expect(p).toMatchObject({
      mediaType: "application/pdf",
      size: pdf.byteLength,
      fileName: "Access control policy v3.pdf",
    });
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    const md = await inspectUpload("procédure.md", Buffer.from("# Procedure\n\n1. Revoke the key.\n"));
    expect(md.mediaType).toBe("text/markdown; charset=utf-8");
  });

  it("refuses names that could traverse paths or break headers", async () => {
    expect(await messageOf("../../etc/passwd.pdf", pdf)).toMatch(/cannot be in a file name/);
    expect(await messageOf("..\\..\\boot.ini.pdf", pdf)).toMatch(/cannot be in a file name/);
    expect(await messageOf("report\r\nSet-Cookie: x=1.pdf", pdf)).toMatch(/cannot be in a file name/);
    expect(await messageOf(".htaccess.pdf", pdf)).toMatch(/starts or ends with a dot/);
    expect(await messageOf("policy.exe", pdf)).toMatch(/“\.exe” cannot be uploaded/);
    expect(await messageOf("policy", pdf)).toMatch(/“\.\(none\)” cannot be uploaded/);
  });

  it("checks content, not the name: HTML posing as a PDF or as Markdown is refused", async () => {
    expect(await messageOf("policy.pdf", html)).toBe(
      "The file is named .pdf but its content is not a PDF file (it looks like an HTML or XML page). Upload the real document.",
    );
    expect(await messageOf("notes.md", html)).toMatch(/content is an HTML or XML page/);
    expect(await messageOf("policy.docx", pdf)).toMatch(
      /named \.docx but its content is not a DOCX file \(it looks like a \.pdf file\)/,
    );
    expect(await messageOf("notes.txt", pdf)).toMatch(/content is a \.pdf file/);
    expect(await messageOf("notes.txt", Buffer.from([0xff, 0xfe, 0x00, 0x41]))).toMatch(/not UTF-8 text|binary data/);
  });

  it("enforces the size limit and refuses empty files", async () => {
    expect(await messageOf("big.pdf", Buffer.concat([pdf, Buffer.alloc(2 * 1048576)]), 1048576)).toBe(
      "The file is 2.0 MB; the limit is 1.0 MB.",
    );
    expect(await messageOf("empty.pdf", Buffer.alloc(0))).toBe("The file is empty.");
  });

  it("reads the limit from APILEDGER_MAX_UPLOAD_MB, bounded to 1–100 MB", () => {
    expect(maxUploadBytes({})).toBe(20 * 1048576);
    expect(maxUploadBytes({ APILEDGER_MAX_UPLOAD_MB: "5" })).toBe(5 * 1048576);
    expect(maxUploadBytes({ APILEDGER_MAX_UPLOAD_MB: "5000" })).toBe(100 * 1048576);
    expect(maxUploadBytes({ APILEDGER_MAX_UPLOAD_MB: "nonsense" })).toBe(20 * 1048576);
  });
});
