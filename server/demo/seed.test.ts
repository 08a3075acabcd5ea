// The demo province (issue 11): schools of every kind the rules tell apart, each as valid as a real one.
import { describe, expect, it } from 'vitest';
import { validateOrgInput } from '../../shared/admin/orgs';
import type { OrgDoc } from '../../shared/domain/schemas';
import { creditCodeProblem } from '../../shared/validate/credit-code';
import { DEMO_ORGS, demoCreditCode, demoOrgDocs } from './seed';

describe('the demo province', () => {
  it('every school of the demo province validates as it is stored (the demo shows what a real province holds)', () => {
    const docs = demoOrgDocs();
    const byId = new Map(docs.map((d) => [d.id, d]));
    const kinds = new Set<string>();
    for (const d of docs.filter((x) => x.kind === 'school')) {
      const parent = byId.get(d.parentId ?? '') as OrgDoc;
      const v = validateOrgInput({}, { parent, existing: d });
      expect(v.ok ? [] : v.problems, d.name).toEqual([]);
      kinds.add(`${d.level}/${d.ownership}${d.provincialModel ? '/model' : ''}`);
    }
    expect(kinds).toEqual(
      new Set([
        'vocational/public',
        'junior/public',
        'senior/public/model',
        'senior/public',
        'senior/private',
        'primary/public',
      ]),
    );
    const zhengzhouZones = new Set(
      DEMO_ORGS.filter((o) => o.enrolmentZone && byId.get(o.id)?.path.startsWith('/41/4101/')).map(
        (o) => o.enrolmentZone,
      ),
    );
    expect(zhengzhouZones.size).toBe(2);
    expect(new Set(docs.filter((d) => d.kind === 'county').map((d) => d.parentId)).size).toBe(2);
    expect(docs.filter((d) => d.kind === 'county').length).toBeGreaterThanOrEqual(4);
    expect(docs.filter((d) => d.level === 'vocational').every((d) => d.campus)).toBe(true);
  });

  it('demo credit codes pass GB 32100 (public 12…, private 52…)', () => {
    expect(creditCodeProblem(demoCreditCode('public', '410105', 41600101))).toBeNull();
    expect(demoCreditCode('private', '410103', 41600403)).toMatch(/^52410103/);
  });
});
