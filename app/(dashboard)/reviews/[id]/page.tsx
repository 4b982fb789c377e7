import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getMyWork, getReview, listAssignablePeople } from "@/lib/reviews/queries";
import { LABELS } from "@/lib/apis/enums";
import { ReviewEditor } from "@/components/reviews/review-editor";
import { FollowUpList } from "@/components/follow-ups/follow-up-list";
import { AddendumForm } from "@/components/reviews/addendum-form";
import { AssignReviewerForm } from "@/components/reviews/assign-reviewer-form";
import { AddFollowUpForm } from "@/components/follow-ups/add-follow-up-form";
import { addReviewFollowUpAction, assignReviewerAction } from "@/lib/reviews/actions";
import { ReviewStateBadge } from "@/components/reviews/review-state-badge";
import { IncidentLinks } from "@/components/incidents/incident-links";
import { toReviewTarget } from "@/lib/reviews/review-target";

export const metadata: Metadata = { title: "Access review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const review = await getReview(actor, id);
  if (!review) notFound();
  const signedOff = review.status === "SIGNED_OFF";
  const target = toReviewTarget(review);
  const editable = can(actor, "review:edit", target);
  const canAddendum = signedOff && can(actor, "review:edit", { ...target, locked: false });
  // The assigned reviewer who owns the API (made owner after assignment): the policy refuses every step.
  const ownsReviewedApi = actor.kind === "user" && review.reviewerId === actor.id && review.api.ownerId === actor.id;
  const canAssign = !signedOff && can(actor, "review:manage-campaign");
  const people = canAssign || editable ? await listAssignablePeople(actor) : [];
  // After their sign-off, the reviewer is offered their next open review.
  const next =
    signedOff && actor.kind === "user" && review.reviewerId === actor.id
      ? ((await getMyWork(actor)).reviews.find((r) => r.id !== review.id) ?? null)
      : null;
  const editableFollowUps = review.followUps
    .filter((f) => can(actor, "follow-up:update", { ownerId: f.ownerId }))
    .map((a) => a.id);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/reviews">Access reviews</Link> ›
          </p>
          <h1>
            {review.quarter} access review: {review.api.name}
          </h1>
          <p>
            <Link href={`/apis/${review.api.id}`}>{review.api.name}</Link> · {review.api.team} · owner{" "}
            {review.api.owner ?? "none"} ·{" "}
            {LABELS.sensitivity[review.api.sensitivity as keyof typeof LABELS.sensitivity]} · due {review.dueOn}
          </p>
        </div>
        <ReviewStateBadge state={review.state} />
      </div>
      <section className="card stack" aria-labelledby="who-h" style={{ marginBottom: "1rem" }}>
        <h2 id="who-h">Reviewer</h2>
        <p style={{ margin: 0 }}>
          {review.reviewer ?? "Not assigned yet."}
          {signedOff
            ? ` — signed off ${review.signedOffAt?.replace("T", " ").slice(0, 16)} UTC by ${review.signedOffBy}.`
            : ""}
        </p>
        {signedOff && review.reviewerId === (actor.kind === "user" ? actor.id : null) ? (
          <p className="small" style={{ margin: 0 }}>
            {next ? (
              <>
                Your next review:{" "}
                <Link href={`/reviews/${next.id}`}>
                  {next.quarter} review of {next.apiName}
                </Link>{" "}
                (due {next.dueOn}).
              </>
            ) : (
              "You have no other open reviews."
            )}
          </p>
        ) : null}
        {ownsReviewedApi ? (
          <div className="alert alert-warn" role="note">
            You are this review’s reviewer and also the API’s owner. A reviewer never reviews their own API, so you
            cannot start, save, sign off or add to this review. Ask an administrator to reassign it.
          </div>
        ) : null}
        {canAssign ? (
          <AssignReviewerForm
            current={review.reviewerId}
            people={people}
            assign={assignReviewerAction.bind(null, review.id)}
          />
        ) : null}
      </section>
      {review.changesSinceSnapshot.length ? (
        <div className="alert alert-warn" role="note" style={{ marginBottom: "1rem" }}>
          <strong>Grants changed since this review froze them</strong> (carried into next quarter’s review):
          <ul style={{ margin: "0.3rem 0 0" }}>
            {review.changesSinceSnapshot.map((c) => (
              <li key={`${c.kind}-${c.name}`}>
                {c.name}: {c.kind}
                {c.fields.length ? ` (${c.fields.join(", ")})` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <section className="card" aria-labelledby="review-incidents-h" style={{ marginBottom: "1rem" }}>
        <h2 id="review-incidents-h">Incidents since the last review</h2>
        <p className="small muted">
          Since {review.incidentsSince.slice(0, 10)} (the previous signed-off review of this API, or the start of the
          quarter).
        </p>
        {review.incidents.length === 0 ? <p className="muted">None recorded.</p> : null}
        <IncidentLinks incidents={review.incidents} />
      </section>
      <section className="card" aria-labelledby="review-h" style={{ marginBottom: "1rem" }}>
        <h2 id="review-h">Review</h2>
        {/* Keyed by version: after a start or sign-off refresh, the editor restarts from the stored review. */}
        <ReviewEditor key={`${review.id}-${review.version}`} review={review} editable={editable} />
      </section>
      <section id="follow-ups" className="card stack" aria-labelledby="follow-ups-h" style={{ marginBottom: "1rem" }}>
        <h2 id="follow-ups-h">Follow-ups</h2>
        <FollowUpList followUps={review.followUps} editableIds={editableFollowUps} />
        {editable && review.status !== "NOT_STARTED" ? (
          <AddFollowUpForm submit={addReviewFollowUpAction.bind(null, review.id)} people={people} />
        ) : null}
      </section>
      {signedOff ? (
        <section className="card stack" aria-labelledby="addenda-h">
          <h2 id="addenda-h">Addenda</h2>
          {review.addenda.length === 0 ? <p className="muted">None.</p> : null}
          {review.addenda.map((a) => (
            <div key={a.id} style={{ borderLeft: "3px solid var(--border)", paddingLeft: "0.75rem" }}>
              <div className="small muted">
                {a.createdAt.replace("T", " ").slice(0, 16)} UTC · {a.author}
              </div>
              <div style={{ whiteSpace: "pre-wrap" }}>{a.text}</div>
            </div>
          ))}
          {canAddendum ? <AddendumForm reviewId={review.id} /> : null}
        </section>
      ) : null}
    </>
  );
}
