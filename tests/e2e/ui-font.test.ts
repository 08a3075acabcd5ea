// The UI's Chinese font ships with the app (issue 9: on a Linux machine without a CJK font every Chinese
// label was an empty box). Chromium runs here with a fontconfig that knows no CJK font at all — only the
// DejaVu folder, if the machine has one — so what it shows can only come from the bundled Noto Sans SC.
// A missing glyph draws as the same .notdef box for every character: two different characters drawn
// alike mean tofu, drawn differently mean real glyphs. The control draws the same two characters with the
// system fonts only and must find the boxes, or the profile would prove nothing.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UI_FONT_FAMILY } from '../../renderer/src/app/ui-font';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-font-'));
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const latin = '/usr/share/fonts/truetype/dejavu';
  const conf = join(dir, 'fonts.conf');
  writeFileSync(
    conf,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  ${existsSync(latin) ? `<dir>${latin}</dir>` : ''}
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`,
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    env: { ...process.env, FONTCONFIG_FILE: conf, FONTCONFIG_PATH: dir },
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the bundled UI font, on a machine without any system CJK font', () => {
  it('Chinese labels render as glyphs, not as empty boxes', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(inject('webUrl'));
    await page.getByText('学籍桌面端 · 首次使用').waitFor();
    const result = await page.evaluate(async (family) => {
      await document.fonts.load(`32px ${family}`, '学籍');
      await document.fonts.ready;
      const draw = (text: string, fontFamily: string) => {
        const canvas = document.createElement('canvas');
        canvas.width = 48;
        canvas.height = 48;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        ctx.fillStyle = '#000';
        ctx.font = `32px ${fontFamily}`;
        ctx.textBaseline = 'top';
        ctx.fillText(text, 4, 4);
        return { data: canvas.toDataURL(), width: ctx.measureText(text).width };
      };
      const ui = [draw('学', family), draw('籍', family)];
      const system = [draw('学', 'sans-serif'), draw('籍', 'sans-serif')];
      const loaded = [...document.fonts].filter(
        (f) => f.family.replace(/"/g, '') === 'Noto Sans SC' && f.status === 'loaded',
      );
      return {
        uiDiffer: ui[0]?.data !== ui[1]?.data,
        systemDiffer: system[0]?.data !== system[1]?.data,
        uiInked: ui[0]?.data !== draw(' ', family).data,
        loadedSlices: loaded.length,
      };
    }, UI_FONT_FAMILY);
    // the control: with system fonts only, two different characters draw as the same box (no CJK font)
    expect(result.systemDiffer).toBe(false);
    // the app's font stack draws them as two different, inked glyphs
    expect(result.uiDiffer).toBe(true);
    expect(result.uiInked).toBe(true);
    // the page's own text pulled slices of the bundled font (from the app's files, no network)
    expect(result.loadedSlices).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'ui-font-no-system-cjk.png') });
    await page.close();
  });
});
