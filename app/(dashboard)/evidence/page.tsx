import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listTeams } from "@/lib/users/queries";
import { getApi } from "@/lib/apis/queries";
import { CONTROLS, CONTROL_IDS } from "@/lib/ism/controls";
import { previousQuarters, quarterOf } from "@/lib/reviews/quarters";
import { getSettings } from "@/lib/settings/queries";
import { checkpointIntervalMinutes } from "@/lib/checkpoints/make-checkpoint";
import { getLatestCheckpoint, getSigningKey, listEvidenceExports } from "@/lib/evidence/queries";
import { ScopeForm } from "@/components/evidence/scope-form";
import { ExportList } from "@/components/evidence/export-list";

export const metadata: Metadata = { title: "Evidence bundles" };

export default async function EvidencePage({ searchParams }: { searchParams: Promise<{ api?: string | string[] }> }) {
  const { api } = await searchParams;
  const actor = await requireActor();
  if (!canSometimes(actor, "evidence:export")) forbidden();
  const settings = await getSettings();
  const now = new Date();
  const current = quarterOf(now, settings.quarterStartMonth, settings.reviewDueDays).label;
  const quarters = [current, ...previousQuarters(current, 7).reverse()];
  const years = [0, 1, 2].map((n) => String(now.getUTCFullYear() - n));
  const [teams, exports, checkpoint, key] = await Promise.all([
    listTeams(actor),
    listEvidenceExports(actor),
    getLatestCheckpoint(actor),
    getSigningKey(actor),
  ]);
  const minutes = checkpointIntervalMinutes();
  const interval =
    minutes === 60 ? "every hour" : minutes % 60 === 0 ? `every ${minutes / 60} hours` : `every ${minutes} minutes`;
  // "Evidence bundle" on an API's page opens this page limited to that API (?api=ID, repeatable).
  const asked = (Array.isArray(api) ? api : api ? [api] : []).slice(0, 50).map((id) => id.slice(0, 64));
  const apis = (await Promise.all(asked.map((id) => getApi(actor, id).catch(() => null))))
    .filter((a) => a !== null)
    .map((a) => ({ id: a.id, name: a.name }));
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Evidence bundles</h1>
          <p>
            One signed ZIP with everything an auditor asks for under ISM-2013/2014 and ISO/IEC 27001 Annex A: the
            inventory and its controls, access reviews, incidents, policies, training, acquisition checklists,
            authentication logs and the audit log. It reads without ApiLedger and its VERIFY.md shows how to check it
            with sha256sum and openssl.
          </p>
        </div>
      </div>
      <section className="card">
        <ScopeForm
          quarters={quarters}
          years={years}
          controls={CONTROL_IDS.map((id) => ({ id, label: CONTROLS[id].label, summary: CONTROLS[id].summary }))}
          teams={teams}
          apis={apis}
        />
      </section>
      <section className="card" aria-labelledby="exports-h">
        <h2 id="exports-h">Exports</h2>
        <p className="small muted">
          Large bundles build in the background; leave this page and come back. Each export is recorded in the audit log
          with its manifest's hash.
        </p>
        <ExportList initial={exports} />
      </section>
      <section className="card" aria-labelledby="key-h">
        <h2 id="key-h">Signing key</h2>
        <p>
          Bundles are signed with this installation's Ed25519 key. A bundle is genuine only if its{" "}
          <code>public-key.pem</code> has this SHA-256 fingerprint:
        </p>
        <p>
          <code data-testid="key-fingerprint" style={{ wordBreak: "break-all" }}>
            {key.fingerprint}
          </code>
        </p>
        <details>
          <summary>Public key (PEM)</summary>
          <pre style={{ whiteSpace: "pre-wrap" }}>{key.publicKeyPem}</pre>
        </details>
        <p>
          <a className="btn" href="/api/v1/evidence/public-key" download>
            Download the public key
          </a>
        </p>
        {key.strangers.length ? (
          <div
            className="alert alert-warn"
            data-testid="stranger-keys"
            style={{ overflowWrap: "anywhere", marginBlock: "1rem" }}
          >
            <strong>Checkpoints signed by a key this instance does not know.</strong> In the last {key.strangerDays}{" "}
            days:{" "}
            {key.strangers
              .map(
                (s) =>
                  `${s.checkpoints} checkpoint${s.checkpoints === 1 ? "" : "s"} by the key ${s.fingerprint.slice(0, 16)}…, the last at ${s.lastAt.replace("T", " ").slice(0, 16)} UTC`,
              )
              .join("; ")}
            . Another instance signs with a key of its own: give every instance the same key (
            <code>APILEDGER_SIGNING_KEY_FILE</code>), or list a key you replaced in{" "}
            <code>APILEDGER_SIGNING_RETIRED_KEYS_FILE</code>.
          </div>
        ) : null}
        {key.retired.length ? (
          <>
            <h3>Earlier keys</h3>
            <p className="small">
              Replaced by a rotation. Bundles and checkpoints they signed still verify; give an auditor the fingerprint
              of the key that signed their bundle.
            </p>
            <ul className="small" data-testid="retired-keys">
              {key.retired.map((r) => (
                <li key={r.fingerprint}>
                  <code style={{ wordBreak: "break-all" }}>{r.fingerprint}</code>
                  {r.lastEntry !== null ? (
                    <> — trusted for audit entries up to {r.lastEntry.toLocaleString("en-AU")} only</>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {key.revoked.length ? (
          <>
            <h3>Revoked keys</h3>
            <p className="small">
              Nothing these keys signed is trusted any more: bundles they signed fail verification here.
            </p>
            <ul className="small" data-testid="revoked-keys">
              {key.revoked.map((r) => (
                <li key={r.fingerprint}>
                  <code style={{ wordBreak: "break-all" }}>{r.fingerprint}</code> — {r.reason}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h3>Audit-log checkpoints</h3>
        <p className="small">
          The same key signs a checkpoint of the audit log (its last entry's number and hash) {interval} and with every
          bundle. Keep the bundles you receive:{" "}
          <code>npm run audit:verify -- --checkpoint bundle.zip --fingerprint {key.fingerprint.slice(0, 8)}…</code> on
          the installation, or{" "}
          <code>
            npm run evidence:verify -- newer.zip --previous older.zip --fingerprint {key.fingerprint.slice(0, 8)}…
          </code>{" "}
          offline (with the whole fingerprint above), shows whether the log was cut back or rewritten since.
        </p>
        {checkpoint ? (
          <div className="small" data-testid="latest-checkpoint">
            Latest: entries up to {checkpoint.seq.toLocaleString("en-AU")}, signed{" "}
            <time dateTime={checkpoint.at}>{checkpoint.at.replace("T", " ").slice(0, 19)} UTC</time>
            <details>
              <summary>Signed checkpoint</summary>
              <pre className="mono" style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
                {checkpoint.line}
              </pre>
            </details>
          </div>
        ) : (
          <p className="small muted">No checkpoint has been signed yet.</p>
        )}
      </section>
    </div>
  );
}
