// Bench page for bench/suites/import.ts: the app's own modules (RxDB on Dexie, the roster-import
// command, exceljs' browser build) in headless chromium on real IndexedDB, without the React screens.

import { sendTo } from '../../../renderer/src/db/commands';
import { createXuejiDatabase } from '../../../renderer/src/db/database';
import { exportRosterBlob, readRosterFile } from '../../../renderer/src/features/import/files';
import type { Student } from '../../../shared/domain/student';
import { parseRosterFile } from '../../../shared/import/parse';
import { buildPreview } from '../../../shared/import/preview';
import { generateStudents } from '../../../shared/seed/roster';

type BenchResult = Record<string, number>;

/** Notes when a phase starts (wall time), for the suite's peak heap per phase. */
function phase(name: string): void {
  window.benchPhases ??= [];
  window.benchPhases.push({ phase: name, at: performance.timeOrigin + performance.now() });
}

async function run(count: number, chunkSize: number): Promise<BenchResult> {
  const out: BenchResult = {};
  const db = await createXuejiDatabase({ name: `bench${Date.now()}` });
  const setup = await sendTo(db, 'school-setup', {
    name: '基准测试学校',
    schoolCode: '4101050001',
    schoolType: 'vocational',
    countyName: '金水区',
    countyCode: '410105',
    operatorName: '基准',
    localPassword: 'xueji2026',
    localPasswordConfirm: 'xueji2026',
  });
  if (!setup.ok) throw new Error(JSON.stringify(setup.errors));
  const settings = (await db.getLocal<{ schoolId: string }>('settings'))?.toJSON().data;
  const schoolId = settings?.schoolId ?? '';
  const students = generateStudents({ count, seed: 7 });

  // The file: written with exceljs in the page, then read back like a chosen file.
  phase('writeXlsx');
  let t = performance.now();
  const blob = await exportRosterBlob(students);
  out.writeXlsxMs = performance.now() - t;
  const file = new File([blob], 'seed.xlsx');
  phase('readXlsx');
  t = performance.now();
  const read = await readRosterFile(file);
  out.readXlsxMs = performance.now() - t;

  // validate (steps 1–3) + commit (step 4)
  phase('validate');
  t = performance.now();
  const existing = (await db.students.find().exec()).map((d) => d.toMutableJSON() as Student);
  const sheet = parseRosterFile(read);
  const preview = buildPreview(sheet, existing, { schoolId });
  out.validateMs = performance.now() - t;
  if (preview.counts.new !== count) throw new Error(`preview: ${JSON.stringify(preview.counts)}`);
  phase('commit');
  const t2 = performance.now();
  const r = await sendTo(db, 'roster-import', { preview, fileName: 'seed.xlsx', chunkSize });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  out.commitMs = performance.now() - t2;
  out.validateCommitMs = performance.now() - t;
  out.studentsWritten = await db.students.count().exec();

  // export of the whole roster from the database, then the round trip back to a preview
  phase('export');
  t = performance.now();
  const stored = (await db.students.find().exec()).map((d) => d.toMutableJSON() as Student);
  const exported = await exportRosterBlob(stored);
  out.exportMs = performance.now() - t;
  phase('roundTrip');
  const back = await readRosterFile(new File([exported], 'export.xlsx'));
  const again = buildPreview(parseRosterFile(back), stored, { schoolId });
  out.roundTripUnchanged = again.counts.unchanged;
  out.roundTripOther = again.rows.length - again.counts.unchanged;
  await db.remove();
  return out;
}

declare global {
  interface Window {
    runImportBench: (count: number, chunkSize: number) => Promise<BenchResult>;
    benchPhases?: { phase: string; at: number }[];
  }
}
window.runImportBench = run;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
