// Live pulls: every write NOTIFYs on the database (so any server instance hears any other's writes);
// the hub fans the notices out to the open server-sent-event streams of the users who may read one of
// the changed rows (the authority table's read decision, as for pulls): no notice tells anyone that a
// row of another class or school changed. Session control notices on the same channel (auth/accounts.ts)
// close the streams of a revoked device or of a user whose sessions ended (password change or reset,
// account disabled), on every instance.
import { canRead } from '../../shared/authority/relation';
import type { SyncUser } from '../../shared/sync/protocol';
import type { SessionControl } from '../auth/accounts';
import type { Db } from '../store/db';
import type { StreamSink } from './event-stream';
import type { ChangeNotice } from './store';

/** The session a stream was opened under. */
export type StreamSession = { deviceRowId: string; sessionEpoch: number };

type Client = { user: SyncUser; res: StreamSink; session?: StreamSession };

export class ChangeHub {
  private readonly clients = new Set<Client>();
  /**
   * Ended sessions this instance has heard of: a stream authenticated just before the end but added
   * after its notice arrived is closed at once instead of living on.
   */
  private readonly endedEpochs = new Map<string, { epoch: number; exceptDeviceRowId?: string }>();
  private readonly revokedDevices = new Set<string>();
  private unlisten: (() => Promise<void>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  async start(db: Db, channel: string): Promise<void> {
    this.unlisten = await db.listen(channel, (payload) => {
      try {
        const notice = JSON.parse(payload) as ChangeNotice | SessionControl;
        if ('control' in notice) this.control(notice);
        else this.dispatch(notice);
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

  add(user: SyncUser, res: StreamSink, session?: StreamSession): void {
    const client = { user, res, session };
    this.clients.add(client);
    res.onClose(() => this.clients.delete(client));
    if (this.ended(client)) {
      this.close(client);
      return;
    }
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

  /** Closes the streams a session control notice names (finding 9: a revoked device kept listening). */
  control(notice: SessionControl): void {
    if (notice.control === 'revoke-device') this.revokedDevices.add(notice.deviceRowId);
    else {
      const known = this.endedEpochs.get(notice.userId);
      if (!known || known.epoch < notice.epoch)
        this.endedEpochs.set(notice.userId, {
          epoch: notice.epoch,
          ...(notice.exceptDeviceRowId ? { exceptDeviceRowId: notice.exceptDeviceRowId } : {}),
        });
    }
    for (const c of this.clients) if (this.ended(c)) this.close(c);
  }

  private ended(c: Client): boolean {
    if (!c.session) return false;
    if (this.revokedDevices.has(c.session.deviceRowId)) return true;
    const e = this.endedEpochs.get(c.user.id);
    return !!e && c.session.sessionEpoch < e.epoch && c.session.deviceRowId !== e.exceptDeviceRowId;
  }

  /** Ends a stream for good: the client's next connection must bring a new ticket, which a dead session cannot get. */
  private close(c: Client): void {
    this.clients.delete(c);
    c.res.end('event: closed\ndata: "SESSION_ENDED"\n\n');
  }

  /** Open streams per user (tests, health). */
  streamsOf(userId: string): number {
    let n = 0;
    for (const c of this.clients) if (c.user.id === userId) n++;
    return n;
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    await this.unlisten?.();
  }
}
