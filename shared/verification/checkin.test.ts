// One check-in: the window by the server's clock, the campus by the great-circle distance, and a pass
// that later attempts never override (HN 三.4).
import { describe, expect, it } from 'vitest';
import { chinaDate, chinaTime, fromChinaTime } from '../calendar/china';
import { distanceM, judgeCheckin, nextResult } from './checkin';
import { isIsoInstant, termFor } from './time';

const TASK = {
  start: '2026-10-09T00:00:00.000Z',
  end: '2026-10-09T04:00:00.000Z',
  status: 'published' as const,
};
const FENCE = { lat: 34.7466, lng: 113.6253, radiusM: 500 };
const at = (iso: string) => Date.parse(iso);
const IN = '2026-10-09T01:00:00.000Z';

describe('distance (haversine)', () => {
  it('is zero at the point, symmetric, and about 111.2 km per degree of latitude', () => {
    expect(distanceM(FENCE, FENCE)).toBe(0);
    const north = { lat: FENCE.lat + 1, lng: FENCE.lng };
    expect(distanceM(FENCE, north)).toBeCloseTo(111_195, -2);
    expect(distanceM(north, FENCE)).toBeCloseTo(distanceM(FENCE, north), 6);
  });
  it('Zhengzhou to Luoyang is about 107 km', () => {
    expect(distanceM({ lat: 34.7466, lng: 113.6253 }, { lat: 34.6197, lng: 112.454 }) / 1000).toBeCloseTo(
      108,
      -1,
    );
  });
});

describe('judging an attempt (HN 三.4: in time, inside the registered campus)', () => {
  it('passes inside the fence during the window, with the distance', () => {
    const near = { lat: FENCE.lat + 0.003, lng: FENCE.lng };
    const j = judgeCheckin(TASK, FENCE, near, at(IN));
    expect(j).toEqual({ outcome: 'pass', distanceM: 334 });
  });
  it('fails outside the fence, naming the distance and the radius', () => {
    const far = { lat: FENCE.lat + 0.01, lng: FENCE.lng };
    const j = judgeCheckin(TASK, FENCE, far, at(IN));
    expect(j).toMatchObject({ outcome: 'fail', code: 'OUTSIDE', distanceM: 1112 });
    if (j.outcome === 'fail')
      expect(j.reason).toBe('不在学校备案的办学地址范围内（距学校约 1112 米，范围 500 米）');
  });
  it('the window is the server’s: before the start, at the end (exclusive) and after it', () => {
    expect(judgeCheckin(TASK, FENCE, FENCE, at('2026-10-08T23:59:59.999Z'))).toMatchObject({
      code: 'NOT_STARTED',
    });
    expect(judgeCheckin(TASK, FENCE, FENCE, at(TASK.start))).toMatchObject({ outcome: 'pass' });
    expect(judgeCheckin(TASK, FENCE, FENCE, at('2026-10-09T03:59:59.999Z'))).toMatchObject({
      outcome: 'pass',
    });
    const end = judgeCheckin(TASK, FENCE, FENCE, at(TASK.end));
    expect(end).toMatchObject({ outcome: 'fail', code: 'ENDED' });
    if (end.outcome === 'fail') expect(end.reason).toBe('核验已截止（2026-10-09 12:00 截止）');
  });
  it('a phone clock far from the server’s is refused (a replayed capture, a wrong clock)', () => {
    expect(judgeCheckin(TASK, FENCE, { ...FENCE, at: '2026-10-09T01:09:00.000Z' }, at(IN))).toMatchObject({
      outcome: 'pass',
    });
    expect(judgeCheckin(TASK, FENCE, { ...FENCE, at: '2026-10-09T01:11:00.000Z' }, at(IN))).toMatchObject({
      code: 'CLOCK',
    });
    expect(judgeCheckin(TASK, FENCE, { ...FENCE, at: 'gestern' }, at(IN))).toMatchObject({ code: 'CLOCK' });
  });
  it('a position whose accuracy circle reaches beyond the fence is not a pass', () => {
    const edge = { lat: FENCE.lat + 0.004, lng: FENCE.lng };
    expect(judgeCheckin(TASK, FENCE, { ...edge, accuracyM: 30 }, at(IN))).toMatchObject({ outcome: 'pass' });
    expect(judgeCheckin(TASK, FENCE, { ...edge, accuracyM: 100 }, at(IN))).toMatchObject({
      code: 'ACCURACY',
    });
  });
  it('a cancelled task takes no check-ins', () => {
    expect(judgeCheckin({ ...TASK, status: 'cancelled' }, FENCE, FENCE, at(IN))).toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('one result per student per task: later attempts never override a pass', () => {
  const pass = { outcome: 'pass' as const, distanceM: 10 };
  const fail = { outcome: 'fail' as const, code: 'OUTSIDE' as const, reason: 'x', distanceM: 900 };
  it('fail, fail, pass, fail → passed at the pass, 4 attempts', () => {
    let r = nextResult({ s: 'pending' }, fail, 't1');
    expect(r).toEqual({ s: 'failed', at: 't1', n: 1, code: 'OUTSIDE', d: 900 });
    r = nextResult(r, fail, 't2');
    r = nextResult(r, pass, 't3');
    expect(r).toEqual({ s: 'passed', at: 't3', n: 3, d: 10 });
    r = nextResult(r, fail, 't4');
    expect(r).toEqual({ s: 'passed', at: 't3', n: 4, d: 10 });
  });
  it('an exempt or appealed result is not changed by an attempt', () => {
    expect(nextResult({ s: 'exempt' }, pass, 't')).toEqual({ s: 'exempt', n: 1 });
    expect(nextResult({ s: 'appealUpheld', n: 2 }, fail, 't')).toEqual({ s: 'appealUpheld', n: 3 });
  });
});

describe('Beijing days and terms', () => {
  it('a day is a day in China (UTC+8)', () => {
    expect(chinaDate('2026-09-30T15:59:59.999Z')).toBe('2026-09-30');
    expect(chinaDate('2026-09-30T16:00:00.000Z')).toBe('2026-10-01');
    expect(chinaTime('2026-09-30T16:00:00.000Z')).toBe('2026-10-01 00:00');
    expect(fromChinaTime('2026-10-01 08:30')).toBe('2026-10-01T00:30:00.000Z');
    expect(fromChinaTime('2026-02-30 08:30')).toBeNull();
    expect(isIsoInstant('2026-10-01T00:30:00.000Z')).toBe(true);
    expect(isIsoInstant('2026-10-01T08:30:00+08:00')).toBe(false);
  });
  it('the configured term when it overlaps the semester (its key), else the usual semester', () => {
    const configured = { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' };
    expect(termFor('2026-10-09', configured).key).toBe('2026-09-01');
    expect(termFor('2026-08-25', configured).key).toBe('2026-09-01');
    expect(termFor('2027-03-02', configured)).toEqual({
      key: '2027-02-01',
      start: '2027-02-01',
      end: '2027-07-31',
      name: '2026—2027学年第二学期',
    });
    expect(termFor('2027-01-05', null).key).toBe('2026-08-01');
  });
});
