// A province in memory for the workflow unit tests: the org tree, the students and the requests, and a
// `push` that does what the server does with a pushed request (server/workflows/gate.ts): gather the
// facts (R-ONE's registry answer for a transfer-in included), run decideTransition, store what it
// returns and apply an approval to the students. Tests own the clock.
import type { OrgDoc } from '../domain/schemas';
import type { Student } from '../domain/student';
import { ACTIVE_STATUSES } from '../sync/rules';
import { applyToStudent, needsNewAuxNo } from './apply';
import type { DraftInput } from './build';
import { type Clock, newDraft, withDecision, withSubmission } from './build';
import { refusal, type ServerFacts } from './checks';
import { decideTransition, type TransitionResult } from './decide';
import { buildFacts } from './facts';
import type { ChangeRequestDoc, WorkflowActor } from './types';

export class World {
  readonly students = new Map<string, Student>();
  readonly requests = new Map<string, ChangeRequestDoc>();
  now = '2026-09-10T02:00:00.000Z';
  private n = 0;
  private readonly auxNos = new Map<string, string>();

  constructor(
    readonly orgs: OrgDoc[],
    students: readonly Student[],
  ) {
    for (const s of students) this.students.set(s.id, s);
  }

  clock(): Clock {
    return { now: () => this.now, newId: () => `${(++this.n).toString(16).padStart(8, '0')}-id` };
  }

  actor(role: WorkflowActor['role'], orgId: string, id = `u-${role}-${orgId}`): WorkflowActor {
    const org = this.orgs.find((o) => o.id === orgId);
    if (!org) throw new Error(orgId);
    return { id, name: `${org.name}经办人`, role, orgId, orgName: org.name, orgPath: org.path };
  }

  student(schoolId: string, pick: (s: Student) => boolean = () => true): Student {
    const s = [...this.students.values()].find(
      (x) => x.schoolId === schoolId && x.status === 'enrolled' && pick(x),
    );
    if (!s) throw new Error(`no student at ${schoolId}`);
    return s;
  }

  school(id: string): OrgDoc {
    const o = this.orgs.find((x) => x.id === id);
    if (!o) throw new Error(id);
    return o;
  }

  /** What the server knows that a school's copy does not (R-ONE's registry, new 学籍辅号). */
  serverFacts(req: ChangeRequestDoc): ServerFacts {
    const out: ServerFacts = {};
    if (req.type === 'transfer') {
      const idNo = req.students[0]?.idNo ?? '';
      const active = [...this.students.values()].filter(
        (s) => s.idNo === idNo && ACTIVE_STATUSES.includes(s.status),
      );
      const at = active.find((s) => s.schoolId === req.fromSchoolId);
      out.transferRecord =
        at && active.length === 1
          ? { student: at }
          : {
              refusal: refusal(
                'R-ONE',
                'R-ONE 一人一籍（YQ 四(一)）：该身份证件号在所填的转出学校没有在籍记录',
                'students',
              ),
            };
    }
    const aux: Record<string, string> = {};
    for (const id of req.studentIds) {
      const s = this.students.get(id);
      if (!s || !needsNewAuxNo(req, s, { orgs: this.orgs })) continue;
      // assigned once per student and request, as the server does in the approving transaction
      const key = `${req.id}|${id}`;
      if (!this.auxNos.has(key))
        this.auxNos.set(key, `41${this.now.slice(0, 4)}${String(this.auxNos.size + 1).padStart(6, '0')}`);
      aux[id] = this.auxNos.get(key) as string;
    }
    if (Object.keys(aux).length > 0) out.newAuxNos = aux;
    return out;
  }

  facts(req: ChangeRequestDoc, server: boolean) {
    const ids = new Set(req.studentIds);
    if (server && req.type === 'transfer') {
      const rec = this.serverFacts(req).transferRecord;
      if (rec && 'student' in rec) ids.add(rec.student.id);
    }
    return buildFacts({
      schoolId: req.schoolId,
      orgs: this.orgs,
      students: [...ids].map((id) => this.students.get(id)).filter((s): s is Student => s !== undefined),
      requests: [...this.requests.values()].filter(
        (r) => r.id !== req.id && r.studentIds.some((id) => ids.has(id)),
      ),
      now: this.now,
      ...(server ? { server: this.serverFacts(req) } : {}),
    });
  }

  /** A change as the server takes it: decided with the server's facts, stored, approval applied. */
  push(actor: WorkflowActor, doc: ChangeRequestDoc): TransitionResult {
    const before = this.requests.get(doc.id) ?? null;
    const r = decideTransition(before, doc, actor, this.facts(doc, true));
    if (!r.ok) {
      if (r.draft) this.requests.set(r.draft.id, r.draft);
      return r;
    }
    this.requests.set(r.doc.id, r.doc);
    if (r.doc.status === 'approved' && before?.status !== 'approved') {
      const facts = this.facts(r.doc, true);
      for (const id of r.doc.studentIds) {
        const s = this.students.get(id);
        if (s) this.students.set(id, applyToStudent(r.doc, s, facts, actor.id).next);
      }
    }
    return r;
  }

  /** A draft of the school's admin, as the app builds and checks it, then pushed. */
  draft(input: Omit<DraftInput, 'school'> & { schoolId: string }): ChangeRequestDoc {
    const admin = this.actor('schoolAdmin', input.schoolId);
    const doc = newDraft({ ...input, school: this.school(input.schoolId) }, admin, this.orgs, this.clock());
    const r = this.push(admin, doc);
    if (!r.ok) throw new Error(`draft refused: ${r.code} ${r.reason}`);
    return r.doc;
  }

  submit(doc: ChangeRequestDoc, opinion = '情况属实，同意上报'): TransitionResult {
    const admin = this.actor('schoolAdmin', doc.schoolId);
    return this.push(admin, withSubmission(this.requests.get(doc.id) ?? doc, opinion, admin, this.clock()));
  }

  decide(id: string, actor: WorkflowActor, decision: 'approve' | 'reject' = 'approve', opinion = '同意') {
    const current = this.requests.get(id);
    if (!current) throw new Error(id);
    return this.push(actor, withDecision(current, decision, opinion, actor, this.clock()));
  }

  get(id: string): ChangeRequestDoc {
    const r = this.requests.get(id);
    if (!r) throw new Error(id);
    return r;
  }
}

/** A scan attached as a proof (the attachment record's id is what the checks need). */
export const proof = (kind: ChangeRequestDoc['proofs'][number]['kind'], name = `${kind}.pdf`) => ({
  kind,
  name,
  attachmentId: `S:${'a'.repeat(64)}`,
});
