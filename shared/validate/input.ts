// Hostile-input check of a pushed document before anything else reads it (issue 8 finding 6: a NUL, a
// lone surrogate or deep nesting gave 500 for the whole batch). Iterative, so no input can exhaust the
// stack; it bounds nesting, key length and size, and refuses characters no form field may hold: control
// characters (tab, line feed and carriage return excepted), unpaired UTF-16 surrogates, bidirectional
// overrides (they can disguise a name on screen) and the noncharacters U+FFFE/U+FFFF.
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from '../sync/limits';

export type InputProblem = {
  /** dotted path of the offending value, e.g. "address" or "guardians.0.name" */
  field: string;
  code: 'CONTROL_CHAR' | 'LONE_SURROGATE' | 'TOO_DEEP' | 'BAD_KEY' | 'TOO_BIG' | 'BAD_VALUE';
  message: string;
};

const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what it finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/;
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hex(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The problem of one string, or null. `what` names it in the message. */
export function stringProblem(s: string, what: string, field: string): InputProblem | null {
  const bad = FORBIDDEN.exec(s);
  if (bad)
    return {
      field,
      code: 'CONTROL_CHAR',
      message: `${what}含有不可见的控制字符（${hex(bad[0])}），请删除后重新保存`,
    };
  if (LONE.test(s))
    return {
      field,
      code: 'LONE_SURROGATE',
      message: `${what}含有残缺的字符（不成对的 UTF-16 代理项，常见于截断的表情符号），请重新输入`,
    };
  return null;
}

/** UTF-8 length of a string without an encoder (shared/ has neither TextEncoder nor Buffer). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

type Frame = { value: unknown; path: string; depth: number };

/**
 * Checks a whole document. `label` turns a top-level field name into its Chinese label for messages.
 * Returns the first problem found, or null.
 */
export function checkInput(
  doc: unknown,
  label: (field: string) => string,
  limits: Pick<SyncLimits, 'maxDepth' | 'maxKeyLength' | 'maxDocBytes'> = DEFAULT_SYNC_LIMITS,
): InputProblem | null {
  const what = (path: string) => {
    const [top, ...rest] = path.split('.');
    const name = top ? label(top) : '记录';
    return rest.length > 0 ? `“${name}”（${rest.join('.')}）` : `“${name}”`;
  };
  const stack: Frame[] = [{ value: doc, path: '', depth: 1 }];
  let bytes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as Frame;
    if (typeof value === 'string') {
      const p = stringProblem(value, what(path), path);
      if (p) return p;
      bytes += utf8Length(value) + 2;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value))
        return { field: path, code: 'BAD_VALUE', message: `${what(path)}不是有效的数字` };
      bytes += 8;
    } else if (value === null || typeof value === 'boolean') {
      bytes += 5;
    } else if (typeof value === 'object') {
      if (depth > limits.maxDepth)
        return {
          field: path,
          code: 'TOO_DEEP',
          message: `${what(path)}嵌套层数过多（最多 ${limits.maxDepth} 层）`,
        };
      const entries = Array.isArray(value)
        ? value.map((v, i) => [String(i), v] as const)
        : Object.entries(value as Record<string, unknown>);
      for (const [k, v] of entries) {
        const child = path ? `${path}.${k}` : k;
        if (!Array.isArray(value)) {
          if (k.length > limits.maxKeyLength)
            return {
              field: path,
              code: 'BAD_KEY',
              message: `${what(path || k)}含有过长的字段名（最多 ${limits.maxKeyLength} 个字符）`,
            };
          const kp = stringProblem(k, `${what(path || k)}的字段名`, path || k);
          if (kp) return { ...kp, code: 'BAD_KEY' };
          bytes += utf8Length(k) + 4;
        }
        if (v === undefined) continue;
        stack.push({ value: v, path: child, depth: depth + 1 });
      }
      bytes += 2;
    } else if (value !== undefined) {
      return { field: path, code: 'BAD_VALUE', message: `${what(path)}的值类型不对` };
    }
    if (bytes > limits.maxDocBytes) {
      const top = path.split('.')[0] ?? '';
      return {
        field: top,
        code: 'TOO_BIG',
        message: `记录过大（超过 ${Math.round(limits.maxDocBytes / 1024)} KB 上限）${top ? `，主要在${what(top)}` : ''}`,
      };
    }
  }
  return null;
}
