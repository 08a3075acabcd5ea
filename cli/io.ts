// The CLI's output channels and flag parsing, injectable so commands are tested without a process.

export type CliIo = { out(line: string): void; err(line: string): void };

type Writable = {
  write(chunk: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
};

/**
 * Output to a stream whose reader may go away: `xueji validate … | head` closes the pipe after ten
 * lines, and Node then reports EPIPE as an 'error' event (an uncaught exception with a stack trace when
 * nobody listens). A closed pipe means nobody reads any more: the rest of the output is dropped and the
 * command ends normally with its own exit code.
 */
export function pipeSafe(stream: Writable, onClosed: () => void = () => {}): (line: string) => void {
  let closed = false;
  stream.on('error', (error) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      if (!closed) onClosed();
      closed = true;
      return;
    }
    throw error;
  });
  return (line) => {
    if (closed) return;
    stream.write(`${line}\n`);
  };
}

export const processIo: CliIo = {
  out: pipeSafe(process.stdout),
  err: pipeSafe(process.stderr),
};

/** Parses `--name value` and `--flag` pairs; positional arguments are under the key '_' joined by \0. */
export function parseFlags(args: string[]): Map<string, string> & { positional: string[] } {
  const flags = new Map<string, string>() as Map<string, string> & { positional: string[] };
  flags.positional = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const next = args[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          flags.set(a.slice(2), next);
          i++;
        } else flags.set(a.slice(2), 'true');
      }
    } else flags.positional.push(a);
  }
  return flags;
}
