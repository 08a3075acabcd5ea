import { describe, expect, it } from 'vitest';
import { checkIdentity, checkPhone, checkStatusNo, parseDate } from './fields';
import { birthDateFromId, checkIdNumber, genderFromId, idCheckChar, makeIdNumber } from './id-number';

describe('GB 11643 ID number', () => {
  it('computes the published example check character', () => {
    // GB 11643-1999 appendix example: 11010519491231002X
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X')).toBeNull();
    expect(checkIdNumber('11010519491231002x')).toBeNull();
  });

  it('rejects a wrong check digit and names the expected one', () => {
    const p = checkIdNumber('110105194912310021');
    expect(p?.code).toBe('ID_CHECK_DIGIT');
    expect(p?.message).toContain('应为 X');
  });

  it('treats a scientific-notation ID as lost, never repaired', () => {
    expect(checkIdNumber('4.10105E+17')?.code).toBe('ID_SCIENTIFIC');
    expect(checkIdNumber('4.1E+17')?.code).toBe('ID_SCIENTIFIC');
  });

  it('reports a dropped trailing X as a format error', () => {
    const p = checkIdNumber('11010519491231002');
    expect(p?.code).toBe('ID_FORMAT');
    expect(p?.message).toContain('X');
  });

  it('rejects impossible birth dates and accepts any division code', () => {
    expect(
      checkIdNumber(makeIdNumber('410105', '2009-02-29', 11).replace('20090229', '20090229'))?.code,
    ).toBe('ID_BIRTH_DATE');
    expect(checkIdNumber(makeIdNumber('999999', '2008-02-29', 11))).toBeNull();
  });

  it('reads birth date and gender (digit 17 odd = male)', () => {
    const male = makeIdNumber('410105', '2010-03-04', 13);
    const female = makeIdNumber('410105', '2010-03-04', 12);
    expect(birthDateFromId(male)).toBe('2010-03-04');
    expect(genderFromId(male)).toBe('1');
    expect(genderFromId(female)).toBe('2');
  });

  it('cross-checks birth date and gender against the record', () => {
    const id = makeIdNumber('410105', '2010-03-04', 13);
    expect(checkIdentity({ idType: '1', idNo: id, birthDate: '2010-03-04', gender: '1' })).toEqual([]);
    const errors = checkIdentity({ idType: '1', idNo: id, birthDate: '2010-03-05', gender: '2' });
    expect(errors.map((e) => e.code)).toEqual(['ID_BIRTH_MISMATCH', 'ID_GENDER_MISMATCH']);
    // Other document types carry no GB 11643 check.
    expect(checkIdentity({ idType: 'A', idNo: 'E12345678', birthDate: '2010-03-05', gender: '2' })).toEqual(
      [],
    );
  });
});

describe('学籍号, phone and dates', () => {
  it('checks the 学籍号 format and its G tail', () => {
    const id = makeIdNumber('410105', '2010-03-04', 13);
    expect(checkStatusNo(`G${id}`, id)).toBeNull();
    expect(checkStatusNo(`L${id.slice(0, 17)}1`)).toBeNull();
    expect(checkStatusNo(`X${id}`)?.code).toBe('STATUS_NO_FORMAT');
    expect(checkStatusNo(`G${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}`)?.code).toBe('STATUS_NO_CHECK');
    expect(checkStatusNo(`G${makeIdNumber('410105', '2010-03-04', 15)}`, id)?.code).toBe(
      'STATUS_NO_MISMATCH',
    );
  });

  it('accepts mobiles and landlines only', () => {
    expect(checkPhone('13812345678')).toBeNull();
    expect(checkPhone('0371-65432100')).toBeNull();
    expect(checkPhone('1381234567')?.message).toContain('联系电话');
    expect(checkPhone('12812345678')).not.toBeNull();
  });

  it('parses the accepted date formats and rejects others', () => {
    expect(parseDate('2010-3-4')).toBe('2010-03-04');
    expect(parseDate('2010/03/04')).toBe('2010-03-04');
    expect(parseDate('20100304')).toBe('2010-03-04');
    expect(parseDate('2010-02-30')).toBeNull();
    expect(parseDate('04.03.2010')).toBeNull();
  });
});
