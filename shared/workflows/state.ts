// The workflow state of a request follows from its decisions: the submission is the decision of step 0,
// each step is decided by the first decision for it to reach the server (later ones are kept, marked
// late), a rejection ends the request, approval of the last step approves it, and a withdrawal ends an
// open one. The app and the server derive it with this one function; a pushed request whose status,
// step or late marks do not follow from its decisions is refused.
import type { ChangeRequestDoc, Decision, RequestStatus, RouteStep } from './types';
import { FINAL_STATUSES } from './types';

export type DerivedState = {
  status: RequestStatus;
  step: number;
  decisions: Decision[];
  /** the decision that counted for each step, by step index */
  counted: Map<number, Decision>;
};

export function deriveState(
  route: readonly RouteStep[],
  decisions: readonly Decision[],
  withdrawn: ChangeRequestDoc['withdrawn'],
): DerivedState {
  let status: RequestStatus = 'draft';
  let step = 0;
  const counted = new Map<number, Decision>();
  const out: Decision[] = [];
  for (const d of decisions) {
    const final = FINAL_STATUSES.includes(status);
    const { late: _late, ...clean } = d;
    if (final || d.step !== step) {
      out.push({ ...clean, late: true });
      continue;
    }
    out.push(clean);
    counted.set(step, clean);
    if (d.decision === 'reject') status = 'rejected';
    else {
      step += 1;
      status = step >= route.length ? 'approved' : 'submitted';
    }
  }
  if (withdrawn && (status === 'draft' || status === 'submitted')) status = 'withdrawn';
  return { status, step, decisions: out, counted };
}

/** The request with its derived fields recomputed. */
export function withDerived(req: ChangeRequestDoc): ChangeRequestDoc {
  const d = deriveState(req.route, req.decisions, req.withdrawn);
  return { ...req, status: d.status, step: d.step, decisions: d.decisions };
}

export function isOpen(req: Pick<ChangeRequestDoc, 'status'>): boolean {
  return req.status === 'submitted';
}

export function isFinal(req: Pick<ChangeRequestDoc, 'status'>): boolean {
  return FINAL_STATUSES.includes(req.status);
}

/** The counted decision of a step, if any. */
export function decisionOf(req: ChangeRequestDoc, step: number): Decision | undefined {
  return deriveState(req.route, req.decisions, req.withdrawn).counted.get(step);
}

/** The counted rejection that ended the request, if it was rejected. */
export function rejectionOf(req: ChangeRequestDoc): Decision | undefined {
  return req.decisions.find((d) => !d.late && d.decision === 'reject');
}

/** ISO time the request was decided (approved or rejected), from its counted decisions. */
export function decidedAt(req: ChangeRequestDoc): string | undefined {
  if (req.status !== 'approved' && req.status !== 'rejected') return undefined;
  const counted = req.decisions.filter((d) => !d.late);
  return counted[counted.length - 1]?.at;
}
