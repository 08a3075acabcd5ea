// Settings the shell itself needs before the renderer runs: the provincial server origin, which the CSP's
// connect-src must name. Read from <userData>/shell-settings.json, overridden by XUEJI_SERVER_ORIGIN.
import { normaliseServerOrigin } from './trusted-url';

export const SHELL_SETTINGS_FILE = 'shell-settings.json';

export type ShellConfig = {
  serverOrigin: string | null;
  /** what was wrong with the settings, in Chinese, for the log and the about box */
  warnings: string[];
};

export function resolveShellConfig(input: {
  env: Record<string, string | undefined>;
  /** the text of shell-settings.json, or null when there is none */
  settingsText: string | null;
}): ShellConfig {
  const warnings: string[] = [];
  let fromFile: unknown = null;
  if (input.settingsText !== null) {
    try {
      const parsed: unknown = JSON.parse(input.settingsText);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        fromFile = (parsed as Record<string, unknown>).serverOrigin ?? null;
      } else {
        warnings.push(`${SHELL_SETTINGS_FILE} 不是 JSON 对象，已忽略。`);
      }
    } catch {
      warnings.push(`${SHELL_SETTINGS_FILE} 不是有效的 JSON，已忽略。`);
    }
  }
  const raw = input.env.XUEJI_SERVER_ORIGIN ?? fromFile;
  if (raw === null || raw === undefined || raw === '') return { serverOrigin: null, warnings };
  const origin = normaliseServerOrigin(raw);
  if (!origin) {
    warnings.push(
      `省级平台地址“${String(raw)}”无效（须为 https:// 开头的站点地址，本机演示可用 http://localhost），已忽略。`,
    );
  }
  return { serverOrigin: origin, warnings };
}
