// Data shapes of the printed forms: small typed validators whose errors name the field (path and Chinese
// label), so a form is never drawn from data that would print wrong or half-empty.

export class FormDataError extends Error {
  constructor(
    readonly field: string,
    readonly label: string,
    detail: string,
  ) {
    super(`数据有误：字段 ${field}（${label}）${detail}`);
    this.name = 'FormDataError';
  }
}

/** A check takes a raw value and its path, and returns the typed value or throws FormDataError. */
export type Check<T> = ((value: unknown, path: string) => T) & { label: string; optional?: boolean };

export type Infer<C> = C extends Check<infer T> ? T : never;

function check<T>(label: string, fn: (value: unknown, path: string) => T): Check<T> {
  return Object.assign(fn, { label });
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export type TextOptions = { max?: number; min?: number; pattern?: RegExp; patternHint?: string };

export function text(label: string, opts: TextOptions = {}): Check<string> {
  const max = opts.max ?? 200;
  return check(label, (v, path) => {
    if (isBlank(v)) throw new FormDataError(path, label, '不能为空');
    if (typeof v !== 'string' && typeof v !== 'number') throw new FormDataError(path, label, '应为文字');
    const s = String(v).trim();
    if (s.length > max) throw new FormDataError(path, label, `不能超过 ${max} 个字（现有 ${s.length} 个）`);
    if (opts.min !== undefined && s.length < opts.min)
      throw new FormDataError(path, label, `至少 ${opts.min} 个字`);
    if (opts.pattern && !opts.pattern.test(s))
      throw new FormDataError(
        path,
        label,
        `格式不对：“${s}”${opts.patternHint ? `，${opts.patternHint}` : ''}`,
      );
    return s;
  });
}

export function optional<T>(inner: Check<T>): Check<T | undefined> {
  const c = check(inner.label, (v, path) => (isBlank(v) ? undefined : inner(v, path)));
  c.optional = true;
  return c;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function date(label: string): Check<string> {
  return check(label, (v, path) => {
    const s = text(label, { max: 10 })(v, path);
    const m = DATE_RE.exec(s);
    const ok =
      m !== null &&
      (() => {
        const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
        return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
      })();
    if (!ok) throw new FormDataError(path, label, `应为日期 YYYY-MM-DD，现为“${s}”`);
    return s;
  });
}

/** Date and time as "YYYY-MM-DD HH:mm". */
export function dateTime(label: string): Check<string> {
  return check(label, (v, path) => {
    const s = text(label, { max: 16 })(v, path);
    const m = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d$/.exec(s);
    if (!m) throw new FormDataError(path, label, `应为日期时间 YYYY-MM-DD HH:mm，现为“${s}”`);
    date(label)(m[1], path);
    return s;
  });
}

export function oneOf<const V extends string>(label: string, values: Readonly<Record<V, string>>): Check<V> {
  return check(label, (v, path) => {
    const s = text(label, { max: 40 })(v, path);
    if (Object.hasOwn(values, s)) return s as V;
    for (const [code, name] of Object.entries<string>(values)) if (name === s) return code as V;
    throw new FormDataError(
      path,
      label,
      `只能是 ${Object.values<string>(values).join('、')} 之一，现为“${s}”`,
    );
  });
}

export function bool(label: string): Check<boolean> {
  return check(label, (v, path) => {
    if (typeof v !== 'boolean') throw new FormDataError(path, label, '应为 true 或 false');
    return v;
  });
}

export function list<T>(
  label: string,
  item: Check<T>,
  opts: { min?: number; max?: number } = {},
): Check<T[]> {
  return check(label, (v, path) => {
    const arr = v === undefined || v === null ? [] : v;
    if (!Array.isArray(arr)) throw new FormDataError(path, label, '应为列表');
    const min = opts.min ?? 0;
    if (arr.length < min) throw new FormDataError(path, label, `至少需要 ${min} 项（现有 ${arr.length} 项）`);
    if (opts.max !== undefined && arr.length > opts.max)
      throw new FormDataError(path, label, `最多 ${opts.max} 项（现有 ${arr.length} 项）`);
    return arr.map((x, i) => item(x, `${path}[${i}]`));
  });
}

type Shape = Record<string, Check<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

/** An object of the given fields; unknown keys are dropped so the hash covers exactly what is printed. */
export function object<S extends Shape>(label: string, shape: S): Check<ObjectOf<S>> {
  return check(label, (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new FormDataError(path || '（根）', label, '应为对象');
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, c] of Object.entries(shape)) {
      const value = c(src[key], path ? `${path}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as ObjectOf<S>;
  });
}
