// Chinese personal names: compound surnames and the pinyin forms used for 姓名拼音 and for search.
import { pinyin } from 'pinyin-pro';

export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '夏侯',
  '长孙',
  '宇文',
  '司徒',
  '端木',
];

export function splitName(name: string): { surname: string; given: string } {
  const compound = COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length);
  const n = compound ? compound.length : 1;
  return { surname: name.slice(0, n), given: name.slice(n) };
}

function syllables(text: string, surname: boolean): string[] {
  if (!text) return [];
  return pinyin(text, { toneType: 'none', type: 'array', surname: surname ? 'all' : 'off', v: true });
}

/** 姓名拼音 in the passport convention: "OUYANG XIAOMING". */
export function namePinyin(name: string): string {
  const { surname, given } = splitName(name);
  const s = syllables(surname, true).join('');
  const g = syllables(given, false).join('');
  return (g ? `${s} ${g}` : s).toUpperCase();
}

/** Search keys of a name: full pinyin ("ouyangxiaoming") and initials ("oyxm"). */
export function pinyinKeys(name: string): { full: string; initials: string } {
  const { surname, given } = splitName(name);
  const parts = [...syllables(surname, true), ...syllables(given, false)];
  return {
    full: parts.join('').toLowerCase(),
    initials: parts
      .map((p) => p[0] ?? '')
      .join('')
      .toLowerCase(),
  };
}

/**
 * A person's name for display: who checked a part or made a change. Older data (the demo seed before it
 * stored names) holds the actor id "local:<name>"; the prefix is dropped.
 */
export function personName(by: string | undefined): string {
  if (!by) return '';
  return by.startsWith('local:') ? by.slice('local:'.length) : by;
}
