// Characters the shipped font cannot draw. A name like 𠮷 (U+20BB7, CJK Extension B) is not in Noto Serif SC;
// printing it would leave an empty box on an official paper, so the app and the CLI warn and name it first.
import { create } from 'fontkit';

export type GlyphCoverage = { hasGlyphForCodePoint(codePoint: number): boolean };

export type MissingCharacter = { char: string; codePoint: string; fields: string[] };

/** Opens font bytes (TTF/OTF) for coverage checks. Parse once and reuse: it is the costly part. */
export function fontCoverage(bytes: Uint8Array): GlyphCoverage {
  const font = create(bytes) as unknown as GlyphCoverage & { fonts?: unknown };
  if (typeof font.hasGlyphForCodePoint !== 'function') throw new Error('字体文件不是单一的 TTF/OTF 字体');
  return font;
}

// Layout characters that are never drawn as glyphs.
const IGNORED = new Set([0x09, 0x0a, 0x0d, 0x20, 0x3000, 0xfeff, 0x200b]);

/**
 * Every character of `input` (a string, or any JSON value: all its strings are scanned, with the field
 * path where each character occurs) that none of `fonts` has a glyph for, in order of first occurrence.
 */
export function findMissingCharacters(
  input: unknown,
  fonts: GlyphCoverage | readonly GlyphCoverage[],
): MissingCharacter[] {
  const list: readonly GlyphCoverage[] = Array.isArray(fonts) ? fonts : [fonts as GlyphCoverage];
  const found = new Map<string, MissingCharacter>();
  const known = new Map<number, boolean>();
  const scan = (s: string, path: string) => {
    for (const ch of s) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x20 || IGNORED.has(cp)) continue;
      let ok = known.get(cp);
      if (ok === undefined) {
        ok = list.some((f) => f.hasGlyphForCodePoint(cp));
        known.set(cp, ok);
      }
      if (ok) continue;
      const entry = found.get(ch) ?? {
        char: ch,
        codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`,
        fields: [],
      };
      if (path && !entry.fields.includes(path)) entry.fields.push(path);
      found.set(ch, entry);
    }
  };
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') scan(v, path);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`);
    } else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(input, '');
  return [...found.values()];
}

/** The Chinese warning shown before printing (app) and on stderr (CLI). */
export function missingCharactersMessage(missing: readonly MissingCharacter[]): string {
  const parts = missing.map(
    (m) => `“${m.char}”（${m.codePoint}${m.fields.length ? `，见 ${m.fields.join('、')}` : ''}）`,
  );
  return `警告：随软件提供的字体中没有以下字符，打印出来会是空白框：${parts.join('；')}。请核对后改用可打印的写法，或在纸质表上手写补全。`;
}
