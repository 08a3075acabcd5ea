// A request's printed form from the request itself: the 学籍异动审批表 with one opinion and seal cell per
// step of its route (four for a transfer), or the 学生基本信息变更申请表; the opinions of the steps
// decided so far are printed, the others left to be written and stamped on paper.

import { chinaDate } from '../calendar/china';
import { STUDENT_STATUSES, STUDY_FORMS } from '../domain/codes';
import { displayValue } from '../domain/history';
import type { InfoChangeData } from '../forms/defs/info-change';
import type { StatusChangeData, StatusChangeType } from '../forms/defs/status-change';
import { definitionOf } from './definitions';
import { deriveState } from './state';
import { type ChangeRequestDoc, PROOF_KINDS, type StudentSnapshot } from './types';

export const FORM_TITLES = {
  'status-change': '学籍异动审批表',
  'info-change': '学生基本信息变更申请表',
} as const;

const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

function studentBlock(s: StudentSnapshot) {
  return {
    name: s.name,
    gender: s.gender,
    birthDate: opt(s.birthDate),
    idType: opt(s.idType),
    idNo: s.idNo,
    statusNo: opt(s.statusNo),
    grade: s.grade,
    classId: s.classId,
    major: opt(s.major),
    enrolYearMonth: opt(s.enrolYearMonth),
  };
}

function opinions(req: ChangeRequestDoc) {
  const counted = deriveState(req.route, req.decisions, req.withdrawn).counted;
  return req.route.map((_, i) => {
    const d = counted.get(i);
    return d ? { opinion: d.opinion || '同意', signer: d.byName, date: chinaDate(d.at) } : {};
  });
}

function proofNames(req: ChangeRequestDoc): string[] {
  return req.proofs.map((p) =>
    `${PROOF_KINDS[p.kind] ?? p.kind}${p.name ? `（${p.name}）` : ''}`.slice(0, 100),
  );
}

/** The form's detail rows from the request's fields and the student's snapshot. */
function formDetails(req: ChangeRequestDoc, s: StudentSnapshot, requests: readonly ChangeRequestDoc[]) {
  const d = req.details;
  const route = req.route;
  switch (req.type) {
    case 'transfer':
      return {
        fromSchool: route[2]?.orgName ?? req.fromSchoolName ?? '',
        fromBureau: route[3]?.orgName ?? '',
        toSchool: route[0]?.orgName ?? '',
        toBureau: route[1]?.orgName ?? '',
        toGrade: d.toGrade ?? '',
        toClass: d.toClass ?? '',
      };
    case 'majorChange':
      return { fromMajor: s.major ?? '', toMajor: d.toMajor ?? '', effectiveDate: d.effectiveDate ?? '' };
    case 'repeat':
    case 'skip':
      return { fromGrade: s.grade, toGrade: d.toGrade ?? '', toClass: d.toClass ?? '' };
    case 'resumption': {
      const aux = req.applied?.changes.find((c) => c.studentId === s.id)?.after.auxNo;
      return {
        resumeDate: d.resumeDate ?? '',
        toGrade: d.toGrade ?? '',
        toClass: d.toClass ?? '',
        ...(typeof aux === 'string' ? { newAuxNo: aux } : {}),
      };
    }
    case 'studyFormChange':
      return {
        fromForm: STUDY_FORMS[s.studyForm ?? '1'] ?? '全日制',
        toForm: STUDY_FORMS[d.toForm ?? ''] ?? d.toForm ?? '',
        effectiveDate: d.effectiveDate ?? '',
      };
    case 'restore': {
      const target = requests.find((r) => r.id === d.restoreOf);
      const before = target?.applied?.changes.find((c) => c.studentId === s.id)?.before.status;
      const status = typeof before === 'string' ? before : (s.status ?? 'enrolled');
      return {
        appealNo: d.appealNo ?? '',
        restoredStatus: STUDENT_STATUSES[status as keyof typeof STUDENT_STATUSES] ?? status,
      };
    }
    default:
      return { ...d };
  }
}

/** The 学籍异动审批表 of a request: one record per student (a class's graduation prints one page each). */
export function statusChangeFormData(
  req: ChangeRequestDoc,
  opts: { schoolName: string; printedAt: string; requests?: readonly ChangeRequestDoc[] },
): StatusChangeData[] {
  const many = req.students.length > 1;
  return req.students.map((s, i) => ({
    recordId: many ? `${req.id}-${i + 1}` : req.id,
    printedAt: opts.printedAt,
    schoolName: opts.schoolName,
    changeType: req.type as StatusChangeType,
    applyDate: req.appliedOn,
    student: studentBlock(s),
    reason: req.reason || '—',
    details: formDetails(req, s, opts.requests ?? []) as Record<string, string>,
    proofs: proofNames(req),
    applicant: {
      name: req.applicant.name || '—',
      ...(req.applicant.relation ? { relation: req.applicant.relation } : {}),
      ...(req.applicant.phone ? { phone: req.applicant.phone } : {}),
    },
    ...(req.escalated ? { escalated: true } : {}),
    steps: req.route.map((r) => r.title),
    opinions: opinions(req),
  }));
}

/** The 学生基本信息变更申请表 of an info change. */
export function infoChangeFormData(
  req: ChangeRequestDoc,
  opts: { schoolName: string; printedAt: string },
): InfoChangeData {
  const s = req.students[0] as StudentSnapshot;
  const [school, bureau] = opinions(req);
  return {
    recordId: req.id,
    printedAt: opts.printedAt,
    schoolName: opts.schoolName,
    applyDate: req.appliedOn,
    student: studentBlock(s),
    items: (req.items ?? []).map((it) => ({
      field: it.field,
      before: opt(displayValue(it.field, it.before) || it.before),
      after: displayValue(it.field, it.after) || it.after || '（空）',
      reason: it.reason,
    })),
    proofs: proofNames(req),
    applicant: {
      name: req.applicant.name || '—',
      ...(req.applicant.relation ? { relation: req.applicant.relation } : {}),
    },
    ...(school && Object.keys(school).length ? { schoolOpinion: school } : {}),
    ...(req.route[1] ? { bureauName: req.route[1].orgName } : {}),
    ...(bureau && Object.keys(bureau).length ? { bureauOpinion: bureau } : {}),
  };
}

/** Which form a request prints, and its title. */
export function formOf(req: Pick<ChangeRequestDoc, 'type'>) {
  const form = definitionOf(req.type).form;
  return { id: form, title: FORM_TITLES[form] };
}
