// Rule settings: validation with Chinese messages naming the field, and the effective value for a school
// (nearest org on its path, honouring who may set what).
import { describe, expect, it } from 'vitest';
import type { OrgDoc } from '../domain/schemas';
import { DEFAULT_KEY_FIELDS } from '../domain/student';
import {
  DEFAULT_RULE_SETTINGS,
  effectiveSettings,
  orgChain,
  ruleSettingsOf,
  validateCalendarOverrides,
  validateKeyFields,
  validateRuleSettings,
  validateTerm,
} from './settings';

const at = '2026-09-01T00:00:00.000Z';
const ORGS: OrgDoc[] = [
  {
    id: '41',
    kind: 'province',
    name: '河南省教育厅',
    path: '/41/',
    updatedAt: at,
    settings: {
      rules: { leaveLimitDays: 20, reportWorkdays: 12 },
      keyFields: ['name', 'idNo'],
      calendar: [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }],
      updatedAt: '2026-11-01T08:00:00.000Z',
      updatedBy: 'prov',
    },
  },
  {
    id: '4101',
    kind: 'city',
    name: '郑州市教育局',
    parentId: '41',
    path: '/41/4101/',
    updatedAt: at,
    term: { start: '2026-09-01', end: '2027-01-20' },
  },
  {
    id: '410105',
    kind: 'county',
    name: '金水区教育局',
    parentId: '4101',
    path: '/41/4101/410105/',
    updatedAt: at,
    term: { start: '2026-09-02', end: '2027-01-22', name: '2026—2027学年第一学期' },
    // a county may not set rule settings: ignored and reported
    settings: { rules: { leaveLimitDays: 99 } },
  },
  {
    id: 'S1',
    kind: 'school',
    name: '金水区职专',
    parentId: '410105',
    path: '/41/4101/410105/S1/',
    updatedAt: at,
  },
  {
    id: 'S2',
    kind: 'school',
    name: '金水区七十六中',
    parentId: '410105',
    path: '/41/4101/410105/S2/',
    updatedAt: at,
    term: { start: '2026-08-31', end: '2027-01-15' },
  },
];

describe('effectiveSettings', () => {
  it('takes the nearest value on the path from the school upwards, with who set it', () => {
    const e = effectiveSettings(orgChain(ORGS, 'S1'));
    expect(e.rules.leaveLimitDays).toEqual({
      value: 20,
      source: {
        orgId: '41',
        orgName: '河南省教育厅',
        orgKind: 'province',
        at: '2026-11-01T08:00:00.000Z',
        by: 'prov',
      },
    });
    expect(e.rules.missTotal).toEqual({ value: 4, source: null });
    expect(e.keyFields.value).toEqual(['name', 'idNo']);
    expect(e.calendar.map((c) => [c.date, c.source.orgId])).toEqual([['2027-01-01', '41']]);
    expect(e.term.value).toEqual({ start: '2026-09-02', end: '2027-01-22', name: '2026—2027学年第一学期' });
    expect(e.term.source?.orgId).toBe('410105');
    expect(ruleSettingsOf(e)).toEqual({ ...DEFAULT_RULE_SETTINGS, leaveLimitDays: 20, reportWorkdays: 12 });
  });

  it('a school’s own term wins over its bureau’s default', () => {
    expect(effectiveSettings(orgChain(ORGS, 'S2')).term).toMatchObject({
      value: { start: '2026-08-31' },
      source: { orgId: 'S2' },
    });
  });

  it('ignores values an org of that kind may not set, and says so', () => {
    const e = effectiveSettings(orgChain(ORGS, 'S1'));
    expect(e.rules.leaveLimitDays.value).toBe(20);
    expect(e.problems).toEqual(['金水区教育局的规则设置未采用：只能由省教育厅设置']);
  });

  it('ignores an invalid value and falls back to the next one up or the default', () => {
    const chain = orgChain(
      [
        { ...(ORGS[0] as OrgDoc), settings: { rules: { leaveLimitDays: -3, missTotal: 5 } } },
        ...ORGS.slice(1),
      ],
      'S1',
    );
    const e = effectiveSettings(chain);
    expect(e.rules.leaveLimitDays).toEqual({ value: 15, source: null });
    expect(e.rules.missTotal.value).toBe(5);
    expect(e.problems.join('\n')).toContain('河南省教育厅：每学期累计请假上限应在 1 到 180 天之间');
  });

  it('without any settings: the regulation’s defaults', () => {
    const e = effectiveSettings([]);
    expect(ruleSettingsOf(e)).toEqual(DEFAULT_RULE_SETTINGS);
    expect(e.keyFields).toEqual({ value: DEFAULT_KEY_FIELDS, source: null });
    expect(e.term).toEqual({ value: null, source: null });
  });
});

describe('validation', () => {
  it('rule settings: known names, whole numbers in range, a month-day, consecutive ≤ total', () => {
    expect(validateRuleSettings({ leaveLimitDays: 20, graduationDeadline: '07-15' })).toEqual({
      ok: true,
      value: { leaveLimitDays: 20, graduationDeadline: '07-15' },
    });
    const bad = validateRuleSettings({
      leaveLimit: 3,
      missTotal: 2.5,
      graduationDeadline: '02-30',
      inspectorsMin: 1,
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems.map((p) => p.field)).toEqual([
        'rules.leaveLimit',
        'rules.missTotal',
        'rules.graduationDeadline',
        'rules.inspectorsMin',
      ]);
    const order = validateRuleSettings({ missConsecutive: 5, missTotal: 4 });
    expect(order.ok ? '' : order.problems[0]?.message).toContain('不能大于累计未核验次数');
  });

  it('key fields: student fields only, once each, at least one', () => {
    expect(validateKeyFields(['name', 'idNo']).ok).toBe(true);
    const bad = validateKeyFields(['name', 'shoeSize', 'name']);
    expect(bad.ok ? [] : bad.problems.map((p) => p.message)).toEqual([
      '“shoeSize”不是学生记录的字段',
      '“姓名”重复',
    ]);
    expect(validateKeyFields([]).ok).toBe(false);
  });

  it('calendar overrides: real dates, a kind, each date once', () => {
    expect(validateCalendarOverrides([{ date: '2027-01-01', kind: 'holiday', note: '元旦' }]).ok).toBe(true);
    const bad = validateCalendarOverrides([
      { date: '2027-02-29', kind: 'holiday' },
      { date: '2027-01-01', kind: 'off' },
      { date: '2027-01-02', kind: 'workday', when: 1 },
      { date: '2027-01-02', kind: 'workday' },
    ]);
    expect(bad.ok ? [] : bad.problems.map((p) => p.field)).toEqual([
      'calendar[0].date',
      'calendar[1].kind',
      'calendar[2].when',
      'calendar[3].date',
    ]);
  });

  it('term dates: start before end, at most 9 months', () => {
    expect(validateTerm({ start: '2026-09-01', end: '2027-01-22' }).ok).toBe(true);
    expect(validateTerm({ start: '2026-09-01', end: '2026-09-01' }).ok).toBe(false);
    expect(validateTerm({ start: '2026-09-01', end: '2027-09-01' }).ok).toBe(false);
    expect(validateTerm({ start: '2026-9-1', end: '2027-01-22' }).ok ? '' : 'field').toBe('field');
  });
});
