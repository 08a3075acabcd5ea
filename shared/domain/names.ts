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

/** The pinyin syllables of a name, lower case, surname read as a surname (单 = shan). */
function nameSyllables(name: string): string[] {
  const { surname, given } = splitName(name);
  return [...syllables(surname, true), ...syllables(given, false)].map((p) => p.toLowerCase());
}

/** Search keys of a name: full pinyin ("ouyangxiaoming") and initials ("oyxm"). */
export function pinyinKeys(name: string): { full: string; initials: string } {
  const parts = nameSyllables(name);
  return { full: parts.join(''), initials: parts.map((p) => p[0] ?? '').join('') };
}

/** Names up to this many syllables get every mix of full syllables and initials (2^n keys). */
const MIXED_UP_TO = 4;

/**
 * The mixed forms a person types: each syllable in full or by its initial — "wangyy" and "wyingyao" for
 * 王颖瑶, besides "wangyingyao" and "wyy". Longer names (a minority name written out) get the two usual
 * mixes only: surname in full with the given name's initials, and the other way round.
 */
export function mixedPinyinKeys(name: string): string[] {
  const parts = nameSyllables(name);
  const n = parts.length;
  if (n < 2) return [];
  const initial = (p: string) => p[0] ?? '';
  const keys = new Set<string>();
  if (n <= MIXED_UP_TO) {
    for (let mask = 1; mask < (1 << n) - 1; mask++)
      keys.add(parts.map((p, i) => (mask & (1 << i) ? p : initial(p))).join(''));
  } else {
    const { surname } = splitName(name);
    const cut = surname.length;
    keys.add([...parts.slice(0, cut), ...parts.slice(cut).map(initial)].join(''));
    keys.add([...parts.slice(0, cut).map(initial), ...parts.slice(cut)].join(''));
  }
  return [...keys];
}

/** Ids of writers that are not people: named on screen by what they are, never by the internal id. */
const SYSTEM_ACTORS: Record<string, string> = {
  seed: '演示数据',
  server: '省级平台',
  local: '本机',
};

/**
 * A person's name for display: who checked a part or made a change. Older data (the demo seed before it
 * stored names) holds the actor id "local:<name>"; the prefix is dropped. The demo generator's and the
 * server's own writes read as 演示数据 and 省级平台.
 */
export function personName(by: string | undefined): string {
  if (!by) return '';
  const name = by.startsWith('local:') ? by.slice('local:'.length) : by;
  return SYSTEM_ACTORS[name] ?? name;
}
