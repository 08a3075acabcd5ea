import { describe, expect, it } from 'vitest';
import { shortDate } from './FolderRow';

describe('the archive list shows the day of the last check as the registrar lived it', () => {
  it('a check at 07:30 Beijing time on 3 December shows 2026-12-03 (its UTC date is the 2nd)', () => {
    expect(shortDate('2026-12-02T23:30:00.000Z')).toBe('2026-12-03');
    expect(shortDate(undefined)).toBe('');
  });
});
