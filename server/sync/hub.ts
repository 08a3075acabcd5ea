// Live pulls: every write NOTIFYs on the database (so any server instance hears any other's writes);
// the hub fans the notices out to the open server-sent-event streams of the users who may read one of
// the changed rows (the authority table's read decision, as for pulls): no notice tells anyone that a
// row of another class or school changed.
import type { ServerResponse } from 'node:http';
import { canRead } from '../../shared/authority/relation';
import type { SyncUser } from '../../shared/sync/protocol';
import type { Db } from '../store/db';
import type { ChangeNotice } from './store';

type Client = { user: SyncUser; res: ServerResponse };

export class ChangeHub {
  private readonly clients = new Set<Client>();
  private unlisten: (() => Promise<void>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  async start(db: Db, channel: string): Promise<void> {
    this.unlisten = await db.listen(channel, (payload) => {
      try {
        this.dispatch(JSON.parse(payload) as ChangeNotice);
      } catch {
        // a malformed payload is not ours; ignore it
      }
    });
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.res.write(': ping\n\n');
    }, 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  add(user: SyncUser, res: ServerResponse): void {
    const client = { user, res };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    // The client catches up on everything it may have missed while it was not listening.
    res.write('retry: 2000\n\n');
    res.write('data: "RESYNC"\n\n');
  }

  dispatch(notice: ChangeNotice): void {
    const data = `data: ${JSON.stringify({ collection: notice.collection, seq: notice.seq })}\n\n`;
    if (!Array.isArray(notice.scopes)) return;
    for (const c of this.clients)
      if (notice.scopes.some((s) => canRead(c.user, notice.collection, s))) c.res.write(data);
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    await this.unlisten?.();
  }
}
