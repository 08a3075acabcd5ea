// The registry against its sources: every rule of DOMAIN.md's table is registered, and every clause it
// quotes is found verbatim in the regulation file it cites (../shared/regulations relative to the repo).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, ruleIdsIn } from './ids';
import { REGULATIONS, RULES } from './registry';
import { RULE_SETTING_BY_KEY } from './settings';

const shared = resolve(import.meta.dirname, '../../../shared');
const domainIds = [
  ...readFileSync(join(shared, 'DOMAIN.md'), 'utf8').matchAll(/^\| (R-[A-Z0-9-]+) \|/gm),
].map((m) => m[1]);
const text = (file: string) => readFileSync(join(shared, 'regulations', file), 'utf8');

describe('rule registry', () => {
  it('names every rule ID of DOMAIN.md, each once, and no other', () => {
    expect(domainIds.length).toBeGreaterThanOrEqual(24);
    expect(RULES.map((r) => r.id).sort()).toEqual([...domainIds].sort());
    expect(RULE_IDS.sort()).toEqual([...domainIds].sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s quotes its clause verbatim from the file it cites',
    (_id, r) => {
      expect(r.clause.length).toBeGreaterThan(5);
      expect(text(REGULATIONS[r.source.doc].file)).toContain(r.clause);
      for (const rel of r.related ?? []) expect(text(REGULATIONS[rel.source.doc].file)).toContain(rel.clause);
    },
  );

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s has a Chinese title, a level and known settings',
    (_id, r) => {
      expect(r.title).toMatch(/[\u4e00-\u9fff]/);
      expect(['refuse', 'warn', 'action', 'info']).toContain(r.level);
      for (const k of r.settings) expect(RULE_SETTING_BY_KEY.has(k)).toBe(true);
      if (r.kind === 'product') {
        expect(r.enforcedBy).toMatch(/[\u4e00-\u9fff]/);
        expect(r.evaluate).toBeUndefined();
      } else expect(r.evaluate).toBeTypeOf('function');
    },
  );

  it('lists the product-behaviour rules with where they are enforced', () => {
    expect(RULES.filter((r) => r.kind === 'product').map((r) => r.id)).toEqual([
      'R-ONE',
      'R-INSP-TRACE',
      'R-DAILY',
      'R-WHO',
      'R-SECURE',
    ]);
  });

  it('"warn" rules are the ones the regulation qualifies with 原则上', () => {
    for (const r of RULES.filter((x) => x.level === 'warn')) expect(r.clause).toContain('原则上');
  });

  it('finds rule IDs in messages', () => {
    expect(ruleIdsIn('身份证件号重复（R-ONE 一人一籍）；另见 R-MISS-2-4 与 R-TX-4NO，R-NOPE')).toEqual([
      'R-ONE',
      'R-MISS-2-4',
      'R-TX-4NO',
    ]);
  });
});
