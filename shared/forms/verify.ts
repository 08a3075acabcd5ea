// Does a printed form say what its record says? (issue 9 "verify-form checks what a person reads")
// The metadata hash proves only what the PDF claims; a person reads the page. So the text drawn for the
// record (RenderedForm.pageTexts: re-render the form from the data) is compared with the text on each
// page of the PDF to check (extracted by the caller: pdfjs-dist in the CLI, or any text layer). Pure.
//
// Texts compare without white space: line breaks, the spaces a text extractor adds between runs and
// the way a re-saving tool (qpdf, Ghostscript) splits runs differ without changing what is read.

export type FormTextDifference = {
  /** 1-based page */
  page: number;
  /** what the record puts there ('' when the PDF has text the record does not) */
  expected: string;
  /** what the PDF's page says there ('' when it lacks the text) */
  found: string;
  /** the difference in Chinese, e.g. 第 1 页：记录为「张三」，PDF 中为「李四」 */
  message: string;
};

export type FormTextCheck = { match: boolean; differences: FormTextDifference[] };

/** Differences shown at most (a page of another form differs everywhere). */
const MAX_DIFFERENCES = 10;
/** Characters of context around a change in the message. */
const CONTEXT = 8;
/** Above this size (characters², per page) the difference is reported as one span, not aligned. */
const MAX_ALIGN_CELLS = 4_000_000;

const squeeze = (s: string) => s.replace(/\s+/g, '');
const CJK = /[\u4e00-\u9fff]/;

type Hunk = { eFrom: number; eTo: number; aFrom: number; aTo: number };

/** The changed spans of two strings: one span outside their common prefix and suffix, aligned inside. */
function hunks(e: string, a: string): Hunk[] {
  let p = 0;
  while (p < e.length && p < a.length && e[p] === a[p]) p++;
  let s = 0;
  while (s < e.length - p && s < a.length - p && e[e.length - 1 - s] === a[a.length - 1 - s]) s++;
  const E = e.slice(p, e.length - s);
  const A = a.slice(p, a.length - s);
  if (E.length === 0 && A.length === 0) return [];
  if ((E.length + 1) * (A.length + 1) > MAX_ALIGN_CELLS || E.length === 0 || A.length === 0)
    return [{ eFrom: p, eTo: p + E.length, aFrom: p, aTo: p + A.length }];
  // Longest common subsequence of the middle, then its gaps are the changes.
  const w = A.length + 1;
  const lcs = new Uint32Array((E.length + 1) * w);
  for (let i = E.length - 1; i >= 0; i--)
    for (let j = A.length - 1; j >= 0; j--)
      lcs[i * w + j] =
        E[i] === A[j]
          ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
  const out: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | null = null;
  const close = () => {
    if (open) out.push(open);
    open = null;
  };
  while (i < E.length || j < A.length) {
    if (i < E.length && j < A.length && E[i] === A[j]) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { eFrom: p + i, eTo: p + i, aFrom: p + j, aTo: p + j };
    if (j >= A.length || (i < E.length && (lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0))) {
      i++;
      open.eTo = p + i;
    } else {
      j++;
      open.aTo = p + j;
    }
  }
  close();
  // Changes a few characters apart read as one ("张三" → "李四" rather than 张→李, 三→四).
  const merged: Hunk[] = [];
  for (const h of out) {
    const last = merged.at(-1);
    if (last && h.eFrom - last.eTo <= 2 && h.aFrom - last.aTo <= 2) {
      last.eTo = h.eTo;
      last.aTo = h.aTo;
    } else merged.push({ ...h });
  }
  return merged;
}

const quote = (s: string) => (s === '' ? '（无）' : `「${s}」`);

/**
 * Compares the text a record puts on each page (`expected`, from RenderedForm.pageTexts) with the text
 * of the PDF's pages (`pages`). Equal up to white space → match; else each change, named by page with
 * the record's text and the PDF's text around it.
 */
export function verifyFormText(
  expected: readonly (readonly string[])[],
  pages: readonly string[],
): FormTextCheck {
  const differences: FormTextDifference[] = [];
  if (expected.length !== pages.length)
    differences.push({
      page: Math.min(expected.length, pages.length) + 1,
      expected: `${expected.length} 页`,
      found: `${pages.length} 页`,
      message: `页数不同：按记录应打印 ${expected.length} 页，PDF 有 ${pages.length} 页`,
    });
  const count = Math.min(expected.length, pages.length);
  for (let p = 0; p < count && differences.length < MAX_DIFFERENCES; p++) {
    const e = squeeze((expected[p] ?? []).join(''));
    const a = squeeze(pages[p] ?? '');
    if (e === a) continue;
    if (a === '') {
      differences.push({
        page: p + 1,
        expected: e.slice(0, 40),
        found: '',
        message: `第 ${p + 1} 页读不出任何文字（页面内容已损坏，或被换成了图片）`,
      });
      continue;
    }
    if (CJK.test(e) && !CJK.test(a)) {
      differences.push({
        page: p + 1,
        expected: e.slice(0, 40),
        found: a.slice(0, 40),
        message: `第 ${p + 1} 页的文字读不出汉字（PDF 中为${quote(a.slice(0, 20))}…）：文件可能被其他软件重新生成过，丢失了字体的文字映射（如经 Ghostscript 处理），页面内容无法核验`,
      });
      continue;
    }
    for (const h of hunks(e, a)) {
      if (differences.length >= MAX_DIFFERENCES) break;
      const expectedText = e.slice(h.eFrom, h.eTo);
      const foundText = a.slice(h.aFrom, h.aTo);
      const before = e.slice(Math.max(0, h.eFrom - CONTEXT), h.eFrom);
      const after = e.slice(h.eTo, h.eTo + CONTEXT);
      const where = before ? `“${before}”之后` : after ? `“${after}”之前` : '';
      differences.push({
        page: p + 1,
        expected: expectedText,
        found: foundText,
        message: `第 ${p + 1} 页${where}：记录为${quote(expectedText)}，PDF 中为${quote(foundText)}`,
      });
    }
  }
  return { match: differences.length === 0, differences };
}
