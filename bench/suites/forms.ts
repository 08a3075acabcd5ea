// Printed forms (issue 4): one change form after warm-up, its size, and 1,000 pages — 1,000 archive lists
// in one batch PDF — against a floor of bare pdfkit drawing the same text without our layout.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { loadFormFonts } from '../../cli/commands/form';
import { archiveListForm, infoChangeForm, renderForm, renderForms } from '../../shared/forms/index';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const sample = (id: string) =>
  JSON.parse(readFileSync(join(root, `shared/forms/samples/${id}.json`), 'utf8')) as Record<string, unknown>;
const clock = () => new Date('2026-03-01T00:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The same strings an archive list prints, drawn by pdfkit's plain text flow: no table, QR or measuring. */
async function barePdfkit(
  records: Record<string, unknown>[],
  regular: Uint8Array,
  bold: Uint8Array,
): Promise<number> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, autoFirstPage: false, compress: true });
  let size = 0;
  doc.on('data', (c: Uint8Array) => {
    size += c.length;
  });
  const ended = new Promise<void>((r) => doc.on('end', () => r()));
  doc.registerFont('r', regular as Buffer);
  doc.registerFont('b', bold as Buffer);
  const strings = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
  for (const rec of records) {
    doc.addPage();
    doc.font('b').fontSize(18).text('学籍档案目录');
    doc.font('r').fontSize(10.5).text(strings(rec).join('　'));
  }
  doc.end();
  await ended;
  return size;
}

export async function run(): Promise<Record<string, number | string>> {
  const fonts = await loadFormFonts();
  const change = sample('info-change');
  for (let i = 0; i < 5; i++) await renderForm(infoChangeForm, change, fonts, { clock });
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const r = await renderForm(infoChangeForm, change, fonts, { clock });
    times.push(performance.now() - t);
    bytes = r.bytes.length;
  }
  process.stderr.write(`forms: single ${median(times).toFixed(1)} ms, ${(bytes / 1024).toFixed(1)} KB\n`);

  const base = sample('archive-list');
  const student = base.student as Record<string, string>;
  const records = Array.from({ length: 1000 }, (_, i) => ({
    ...base,
    recordId: `DA-BENCH-${String(i).padStart(4, '0')}`,
    student: { ...student, classId: `数控技术应用${(i % 20) + 1}班` },
  }));
  let t = performance.now();
  const batch = await renderForms(archiveListForm, records, fonts, { clock });
  const batchS = (performance.now() - t) / 1000;
  process.stderr.write(`forms: batch ${batch.pageCount} pages in ${batchS.toFixed(2)} s\n`);
  t = performance.now();
  const floorBytes = await barePdfkit(records, fonts.regular, fonts.bold);
  const floorS = (performance.now() - t) / 1000;
  return {
    'forms.single.ms': Math.round(median(times) * 10) / 10,
    'forms.single.kb': Math.round((bytes / 1024) * 10) / 10,
    'forms.batch1000.pages': batch.pageCount,
    'forms.batch1000.s': Math.round(batchS * 100) / 100,
    'forms.batch1000.mb': Math.round((batch.bytes.length / 1024 / 1024) * 100) / 100,
    'forms.batch1000.floorS': Math.round(floorS * 100) / 100,
    'forms.batch1000.floorMb': Math.round((floorBytes / 1024 / 1024) * 100) / 100,
  };
}
