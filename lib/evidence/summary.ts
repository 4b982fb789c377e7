import "server-only";
import { db } from "@/lib/db/client";
import { inAccessReviewScope } from "@/lib/reviews/scope";
import { factsOf } from "@/lib/apis/api-data";
import { CONTROLS, type ControlId } from "@/lib/ism/controls";
import { evaluateControl } from "@/lib/apis/rules";
import { documentGapsOn } from "@/lib/documents/queries";
import { DOCUMENT_KIND_LABELS } from "@/lib/documents/schemas";
import { GAP_LABELS } from "@/lib/documents/status";
import { emailOf, type TableContext } from "@/lib/evidence/table";
import { inventoryAsOf } from "@/lib/evidence/inventory-tables";
import { incidentWhere, reviewWhere } from "@/lib/evidence/review-tables";

export type ControlSummary = {
  id: ControlId;
  label: string;
  summary: string;
  iso27001: readonly string[];
  applicable: number;
  met: number;
  notMet: number;
  cannotJudge: number;
  notApplicable: number;
  notMetApis: { id: string; name: string; owner: string | null; reason: string }[];
};
export type Gap = { kind: "review" | "control" | "document" | "follow-up"; text: string; items: string[] };

const LISTED = 25;
/** The first names of a gap, and where the rest are: a bundle never cuts a list short without saying so. */
const listed = (items: string[], file: string): string[] =>
  items.length > LISTED
    ? [...items.slice(0, LISTED), `… and ${items.length - LISTED} more: every one is in data/${file}`]
    : items;

/**
 * The per-control outcome over the inventory as it stood at the period's end, and what an auditor will ask about
 * first: APIs without a signed-off review, unmet or unjudged controls, missing or overdue policies,
 * overdue follow-ups. Shown in the preview, index.html, report.pdf and the OSCAL documents. The caller has
 * already been allowed to export evidence (which reads every record in scope), so nothing here asks again.
 */
export async function summarise(ctx: TableContext): Promise<{ controls: ControlSummary[]; gaps: Gap[]; apis: number }> {
  const controls = new Map<ControlId, ControlSummary>(
    ctx.scope.controls.map((id) => [
      id,
      {
        id,
        label: CONTROLS[id].label,
        summary: CONTROLS[id].summary,
        iso27001: CONTROLS[id].iso27001,
        applicable: 0,
        met: 0,
        notMet: 0,
        cannotJudge: 0,
        notApplicable: 0,
        notMetApis: [],
      },
    ]),
  );
  // In scope for access review: the one definition campaigns use, or added to a campaign of the period.
  const reviews = await db.review.findMany({ where: reviewWhere(ctx), select: { apiId: true, status: true } });
  const signedOff = new Set(reviews.filter((r) => r.status === "SIGNED_OFF").map((r) => r.apiId));
  const inCampaign = new Set(reviews.map((r) => r.apiId));
  const unreviewed: string[] = [];
  const unjudged = new Map<ControlId, string[]>();
  let apis = 0;
  for await (const { api } of inventoryAsOf(ctx)) {
    apis++;
    const facts = factsOf(api);
    for (const c of controls.values()) {
      const e = evaluateControl(c.id, facts);
      if (e.status === "NOT_APPLICABLE") c.notApplicable++;
      else {
        c.applicable++;
        if (e.status === "MET") c.met++;
        if (e.status === "NOT_MET") {
          c.notMet++;
          c.notMetApis.push({
            id: api.id,
            name: api.name,
            owner: emailOf(ctx, api.ownerId),
            reason: e.reasons.at(-1) ?? "",
          });
        }
        if (e.status === "CANNOT_JUDGE") {
          c.cannotJudge++;
          (unjudged.get(c.id) ?? unjudged.set(c.id, []).get(c.id)!).push(api.name);
        }
      }
    }
    if ((inAccessReviewScope(api) || inCampaign.has(api.id)) && !signedOff.has(api.id)) unreviewed.push(api.name);
  }
  const gaps: Gap[] = [];
  if (unreviewed.length)
    gaps.push({
      kind: "review",
      text: `${unreviewed.length} in-scope API(s) have no signed-off access review in a campaign overlapping the period.`,
      items: listed(unreviewed.sort(), "access-reviews.csv and data/inventory.csv"),
    });
  for (const c of controls.values()) {
    if (c.notMet)
      gaps.push({
        kind: "control",
        text: `${c.label}: not met by ${c.notMet} of ${c.applicable} API(s) it applies to.`,
        items: listed(c.notMetApis.map((a) => `${a.name} — ${a.reason}`).sort(), "control-evaluations.csv"),
      });
    const names = unjudged.get(c.id);
    if (names?.length)
      gaps.push({
        kind: "control",
        text: `${c.label}: cannot be judged for ${names.length} API(s) whose records lack the facts it needs.`,
        items: listed(names.sort(), "control-evaluations.csv"),
      });
  }
  // Judged on the period's last day (or today, for a period not over yet), as the documents page would.
  const asOf = new Date(Math.min(ctx.now.getTime(), ctx.scope.to.getTime() - 1)).toISOString().slice(0, 10);
  for (const g of await documentGapsOn(new Date(`${asOf}T00:00:00Z`)))
    gaps.push({
      kind: "document",
      text: `${DOCUMENT_KIND_LABELS[g.kind]}: ${GAP_LABELS[g.problem]} on ${asOf}.`,
      items: [],
    });
  const overdue = await db.followUp.findMany({
    where: {
      status: "OPEN",
      dueOn: { lt: ctx.now },
      OR: [{ review: reviewWhere(ctx) }, { incident: incidentWhere(ctx) }],
    },
    select: { description: true, dueOn: true },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
  });
  if (overdue.length)
    gaps.push({
      kind: "follow-up",
      text: `${overdue.length} follow-up(s) are open past their due date.`,
      items: listed(
        overdue.map((f) => `${f.description} (due ${f.dueOn!.toISOString().slice(0, 10)})`),
        "follow-ups.csv",
      ),
    });
  for (const c of controls.values())
    c.notMetApis.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { controls: [...controls.values()], gaps, apis };
}
