// The live stream (docs/sync-api.md "Live stream"): server-sent events that tell which collection
// changed, mapped to RxDB's pull.stream$ 'RESYNC'. EventSource cannot send an Authorization header, and
// a token in a URL ends up in logs (issue 8, finding 9), so every connection first fetches a one-use
// ticket with the bearer token (POST /api/sync/stream-ticket) and opens /api/sync/stream?ticket=…
// A spent ticket cannot reconnect: whenever the connection drops, this class closes it and opens a new
// one with a fresh ticket, waiting longer after each failure in a row.

type EventSourceCtor = new (url: string) => EventSource;

export type LiveStreamOptions = {
  serverUrl: () => string;
  /** a fresh ticket; rejects when the session cannot get one (the engine records why) */
  ticket: () => Promise<string>;
  /** null or undefined: no live stream (e.g. Node without an EventSource) */
  eventSource: EventSourceCtor | null | undefined;
  /** a notice: the named collection changed, or 'RESYNC' for all of them */
  onNotice: (collection: string | 'RESYNC') => void;
  /** whether a dropped stream should be reopened now (not stopped, online, not halted) */
  wanted: () => boolean;
  /** first wait before reopening a dropped stream; doubles up to 30 s while failures repeat */
  reconnectMs?: number;
};

const MAX_RECONNECT_MS = 30_000;

export class LiveStream {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** bumped by every open and close, so a ticket that arrives after a close opens nothing */
  private generation = 0;
  private opening = false;
  private failures = 0;

  constructor(private readonly options: LiveStreamOptions) {}

  get isOpen(): boolean {
    return this.source !== null || this.opening;
  }

  /** Opens the stream unless it is open or opening. */
  open(): void {
    const Source = this.options.eventSource;
    if (!Source || this.isOpen) return;
    clearTimeout(this.timer);
    const generation = ++this.generation;
    this.opening = true;
    this.options
      .ticket()
      .then((ticket) => {
        if (generation !== this.generation) return;
        const url = `${this.options.serverUrl()}/api/sync/stream?ticket=${encodeURIComponent(ticket)}`;
        const source = new Source(url);
        this.source = source;
        source.onopen = () => {
          this.failures = 0;
        };
        source.onmessage = (event: MessageEvent<string>) => this.message(event.data);
        source.onerror = () => {
          if (this.source !== source) return;
          // The browser would reconnect with the spent ticket: close and come back with a fresh one.
          this.drop();
        };
      })
      .catch(() => {
        if (generation === this.generation) this.drop();
      })
      .finally(() => {
        if (generation === this.generation) this.opening = false;
      });
  }

  private message(raw: string): void {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    if (data === 'RESYNC') this.options.onNotice('RESYNC');
    else if (typeof data === 'object' && data !== null && 'collection' in data)
      this.options.onNotice(String((data as { collection: unknown }).collection));
  }

  /** The connection failed or ended: reopen later with a new ticket, if still wanted. */
  private drop(): void {
    this.close();
    const base = this.options.reconnectMs ?? 2000;
    const wait = Math.min(MAX_RECONNECT_MS, base * 2 ** Math.min(this.failures, 4));
    this.failures++;
    this.timer = setTimeout(() => {
      if (this.options.wanted()) this.open();
    }, wait);
  }

  close(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.opening = false;
    this.source?.close();
    this.source = null;
  }
}
