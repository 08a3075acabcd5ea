// Registers the handlers on ipcMain behind the trusted-sender check (Electron security checklist:
// "validate the sender of all IPC messages").
import type { BridgeFailure } from '../../shared/bridge';
import { isAppUrl } from '../trusted-url';
import type { Channel } from './channels';
import { CHANNEL_ALLOW_LIST } from './channels';
import type { Handlers } from './handlers';

/** The part of an IpcMainInvokeEvent the check reads. */
export type SenderEvent = {
  senderFrame: { url: string; parent?: unknown } | null;
};

export type IpcMainLike = {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => unknown): void;
};

export const NOT_TRUSTED: BridgeFailure = {
  ok: false,
  reason: 'not-trusted',
  message: '请求来源不是本应用，已拒绝。',
};

/** Only the top frame of our own app may call: a sub frame (there should be none) or another origin is refused. */
export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // the frame navigated away or was destroyed while the message was in flight
  if (frame.parent) return false;
  return isAppUrl(frame.url);
}

export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  log: (message: string) => void = (m) => console.warn(m),
): Channel[] {
  for (const channel of CHANNEL_ALLOW_LIST) {
    const handler = handlers[channel];
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) {
        log(`[ipc] refused ${channel} from ${event.senderFrame?.url ?? '(no frame)'}`);
        return NOT_TRUSTED;
      }
      if (args.length > 1) {
        return { ok: false, reason: 'invalid-argument', message: '参数个数不对。' } satisfies BridgeFailure;
      }
      try {
        return await handler(args[0]);
      } catch (error) {
        log(`[ipc] ${channel} failed: ${(error as Error)?.stack ?? String(error)}`);
        return {
          ok: false,
          reason: 'io-error',
          message: `操作失败：${(error as Error)?.message ?? String(error)}`,
        } satisfies BridgeFailure;
      }
    });
  }
  return [...CHANNEL_ALLOW_LIST];
}
