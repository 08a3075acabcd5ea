// Debian's chromium as every browser test and benchmark drives it (playwright-core): the package's
// binary, and the flags this machine's closed network needs (without the background-networking ones
// chromium keeps dialling Google's hosts and its connections are refused, many at a time).
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
