// The CLI's output channels and flag parsing, injectable so commands are tested without a process.

export type CliIo = { out(line: string): void; err(line: string): void };

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
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
