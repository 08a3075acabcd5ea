// The allow-list of IPC channels: one channel per bridge method. The preload exposes exactly these,
// and the main process registers exactly these; nothing else crosses the boundary.
export const CHANNELS = {
  appInfo: 'app:info',
  pdfSave: 'pdf:save',
  pdfPrint: 'pdf:print',
  pdfPreview: 'pdf:preview',
  fileOpen: 'file:open',
  fileSave: 'file:save',
  archiveOpenFolder: 'archive:open-folder',
  serverSetOrigin: 'server:set-origin',
} as const;

export type ChannelKey = keyof typeof CHANNELS;
export type Channel = (typeof CHANNELS)[ChannelKey];

export const CHANNEL_ALLOW_LIST: readonly Channel[] = Object.freeze(Object.values(CHANNELS));

export function isAllowedChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && (CHANNEL_ALLOW_LIST as readonly string[]).includes(channel);
}
