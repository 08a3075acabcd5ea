import { describe, expect, it } from 'vitest';
import { CHANNEL_ALLOW_LIST, CHANNELS, isAllowedChannel } from './channels';
import type { Handlers } from './handlers';
import {
  type IpcMainLike,
  isTrustedSender,
  NOT_TRUSTED,
  registerIpcHandlers,
  type SenderEvent,
} from './register';

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown;

// A stand-in for ipcMain (Electron mocked): records what is registered, lets the test invoke it.
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipc: IpcMainLike = { handle: (channel, listener) => void listeners.set(channel, listener) };
  return { ipc, listeners };
}

function recordingHandlers() {
  const received: [string, unknown][] = [];
  const handlers = Object.fromEntries(
    CHANNEL_ALLOW_LIST.map((c) => [
      c,
      async (args: unknown) => {
        received.push([c, args]);
        return { ok: true, value: c };
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, received };
}

const frame = (url: string, parent: unknown = null): SenderEvent => ({ senderFrame: { url, parent } });

describe('registerIpcHandlers (Electron mocked: ipcMain)', () => {
  it('registers exactly the allow-listed channels', () => {
    const { ipc, listeners } = fakeIpcMain();
    registerIpcHandlers(ipc, recordingHandlers().handlers, () => undefined);
    expect([...listeners.keys()].sort()).toEqual(
      [
        'app:info',
        'archive:open-folder',
        'file:open',
        'file:save',
        'pdf:preview',
        'pdf:print',
        'pdf:save',
        'server:set-origin',
      ].sort(),
    );
  });

  it('passes a call from the app’s top frame through to the handler', async () => {
    const { ipc, listeners } = fakeIpcMain();
    const { handlers, received } = recordingHandlers();
    registerIpcHandlers(ipc, handlers, () => undefined);
    const result = await listeners.get(CHANNELS.pdfSave)?.(frame('app://xueji/index.html#/print'), { a: 1 });
    expect(result).toEqual({ ok: true, value: 'pdf:save' });
    expect(received).toEqual([['pdf:save', { a: 1 }]]);
  });

  it.each([
    ['another origin', frame('https://evil.com/')],
    ['file://', frame('file:///C:/Users/x/Downloads/evil.html')],
    ['look-alike app host', frame('app://xueji.evil/')],
    ['about:blank', frame('about:blank')],
    ['a sub frame of the app', frame('app://xueji/index.html', { url: 'app://xueji/index.html' })],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses %s without calling the handler', async (_name, event) => {
    const { ipc, listeners } = fakeIpcMain();
    const { handlers, received } = recordingHandlers();
    const log: string[] = [];
    registerIpcHandlers(ipc, handlers, (m) => log.push(m));
    for (const channel of CHANNEL_ALLOW_LIST) {
      expect(await listeners.get(channel)?.(event as SenderEvent, {})).toEqual(NOT_TRUSTED);
    }
    expect(received).toEqual([]);
    expect(log).toHaveLength(CHANNEL_ALLOW_LIST.length);
  });

  it('refuses extra arguments and turns a throwing handler into a Chinese io-error', async () => {
    const { ipc, listeners } = fakeIpcMain();
    const handlers = {
      ...recordingHandlers().handlers,
      [CHANNELS.fileSave]: async () => {
        throw new Error('disk on fire');
      },
    } as Handlers;
    registerIpcHandlers(ipc, handlers, () => undefined);
    expect(await listeners.get(CHANNELS.pdfSave)?.(frame('app://xueji/'), 1, 2)).toMatchObject({
      ok: false,
      reason: 'invalid-argument',
    });
    expect(await listeners.get(CHANNELS.fileSave)?.(frame('app://xueji/'), {})).toEqual({
      ok: false,
      reason: 'io-error',
      message: '操作失败：disk on fire',
    });
  });
});

describe('isTrustedSender / isAllowedChannel', () => {
  it('accepts only our top frame', () => {
    expect(isTrustedSender(frame('app://xueji/index.html'))).toBe(true);
    expect(isTrustedSender(frame('app://xueji/index.html', {}))).toBe(false);
    expect(isTrustedSender(frame(' app://xueji/'))).toBe(false);
  });

  it('knows its channels and nothing else', () => {
    expect(isAllowedChannel('pdf:save')).toBe(true);
    expect(isAllowedChannel('shell:openExternal')).toBe(false);
    expect(isAllowedChannel('PDF:SAVE')).toBe(false);
    expect(isAllowedChannel(undefined)).toBe(false);
  });
});
