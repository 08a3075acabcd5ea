// Draws the app icon — 学籍 in white on a blue rounded square — as SVG, renders it in headless Debian
// chromium (playwright-core) and writes build/icon.png (512×512) and build/icon-256.png (256×256).
// The font is Noto Serif SC Bold from the npm registry (the same family the forms ship), embedded as a
// data URL, so the result does not depend on the machine's fonts. Run: node build/make-icon.mjs
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const font = await readFile(
  path.join(root, 'node_modules/@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf'),
);

const svg = `
<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2f7cf6"/>
      <stop offset="1" stop-color="#1456c8"/>
    </linearGradient>
  </defs>
  <rect x="16" y="16" width="480" height="480" rx="96" ry="96" fill="url(#bg)"/>
  <rect x="60" y="372" width="392" height="10" rx="5" fill="#ffffff" opacity="0.55"/>
  <text x="256" y="300" text-anchor="middle" font-family="IconFont" font-weight="700" font-size="188"
        fill="#ffffff" letter-spacing="4">学籍</text>
  <text x="256" y="440" text-anchor="middle" font-family="IconFont" font-weight="700" font-size="44"
        fill="#ffffff" opacity="0.9" letter-spacing="14">档案</text>
</svg>`;

const html = `<!doctype html><html><head><style>
@font-face { font-family: IconFont; font-weight: 700; src: url(data:font/ttf;base64,${font.toString('base64')}) format('truetype'); }
html, body { margin: 0; background: transparent; }
#icon { width: 512px; height: 512px; }
</style></head><body><div id="icon">${svg}</div></body></html>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  for (const [size, file] of [
    [512, 'icon.png'],
    [256, 'icon-256.png'],
  ]) {
    const page = await browser.newPage({
      viewport: { width: 512, height: 512 },
      deviceScaleFactor: size / 512,
    });
    await page.setContent(html);
    await page.evaluate(() => document.fonts.ready);
    const png = await page.locator('#icon').screenshot({ omitBackground: true });
    await writeFile(path.join(root, 'build', file), png);
    await page.close();
    console.log(`wrote build/${file} (${size}×${size}, ${png.length} bytes)`);
  }
} finally {
  await browser.close();
}
