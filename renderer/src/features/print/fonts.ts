// The CJK font of the printed forms (Noto Serif SC, shipped from npm: FONT_FILES in shared/forms), bundled by
// Vite as two asset files and fetched once per session as bytes. The forms engine parses each buffer once
// and keeps the parsed font (shared/forms/render.ts), so the same Uint8Array must be handed back every time.
import regularUrl from '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf?url';
import boldUrl from '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf?url';
import type { FormFonts } from '../../../../shared/forms';

export const FONT_URLS = { regular: regularUrl, bold: boldUrl } as const;

async function fetchFont(url: string, what: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`无法读取打印字体（${what}）：${String(error)}`);
  }
  if (!response.ok) throw new Error(`无法读取打印字体（${what}）：HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

let cached: Promise<FormFonts> | undefined;

/** Both font files as bytes, fetched on first use and kept for the session (a failed fetch is retried next time). */
export function loadFormFonts(): Promise<FormFonts> {
  cached ??= Promise.all([
    fetchFont(FONT_URLS.regular, '宋体常规'),
    fetchFont(FONT_URLS.bold, '宋体粗体'),
  ]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      cached = undefined;
      throw error;
    },
  );
  return cached;
}
