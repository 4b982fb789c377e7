import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { openApiDocument } from "@/lib/rest/openapi/document";
import { PROBLEM_CODES } from "@/lib/rest/openapi/shared";

export const metadata: Metadata = { title: "REST API reference" };

type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  responses: Record<string, { description?: string }>;
};

/** The descriptions use `backticks` for code, as OpenAPI tools render them. */
function Text({ children }: { children: string }) {
  return <>{children.split("`").map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>;
}

/** A readable rendering of the OpenAPI description (the same document /api/v1/openapi.json serves). */
export default async function ApiDocsPage() {
  await requireActor();
  const doc = openApiDocument() as {
    info: { description: string };
    paths: Record<string, Record<string, Operation | unknown>>;
  };
  const operations = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map(([method, op]) => ({ path: p, method: method.toUpperCase(), op: op as Operation })),
  );
  return (
    <>
      <div className="page-head">
        <div>
          <h1>REST API reference</h1>
          <p>
            <Text>{doc.info.description}</Text>
          </p>
          <p>
            Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Create a token on
            the <a href="/account/tokens">API tokens</a> page and send it as <code>Authorization: Bearer apl_…</code>.
          </p>
        </div>
      </div>
      <div className="stack">
        {operations.map(({ path, method, op }) => {
          const scopes = (op.security ?? []).flatMap((s) => s.bearerToken ?? []);
          return (
            <section key={`${method} ${path}`} className="card" aria-labelledby={`op-${op.operationId}`}>
              <h2 id={`op-${op.operationId}`} style={{ fontSize: "1.05rem" }}>
                <code>
                  {method} {path}
                </code>{" "}
                — {op.summary}
              </h2>
              {op.description ? (
                <p>
                  <Text>{op.description}</Text>
                </p>
              ) : null}
              <p className="small">
                Token scope: {scopes.length ? scopes.map((s) => <code key={s}>{s}</code>) : "none (public)"}
              </p>
              {op.parameters?.length ? (
                <table className="data">
                  <caption className="sr-only">Parameters of {op.operationId}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Parameter</th>
                      <th scope="col">In</th>
                      <th scope="col">Description</th>
                    </tr>
                  </thead>
                  <tbody>
                    {op.parameters.map((p) => (
                      <tr key={`${p.in}-${p.name}`}>
                        <td>
                          <code>{p.name}</code>
                          {p.required ? " (required)" : ""}
                        </td>
                        <td>{p.in}</td>
                        <td className="small">
                          <Text>{p.description ?? ""}</Text>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <p className="small">
                Responses:{" "}
                {Object.entries(op.responses)
                  .map(([code, r]) => `${code}${r.description ? ` ${r.description}` : ""}`)
                  .join(" · ")}
              </p>
            </section>
          );
        })}
        <section className="card" aria-labelledby="problems-h">
          <h2 id="problems-h">Errors</h2>
          <p>
            Errors are RFC 9457 problem documents (<code>application/problem+json</code>) whose <code>type</code> is
            stable:
          </p>
          <ul>
            {Object.entries(PROBLEM_CODES).map(([code, text]) => (
              <li key={code}>
                <code>https://apiledger.invalid/problems/{code}</code> — {text}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
