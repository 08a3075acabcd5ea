// The live stream's body, compressed as the client accepts (issue 11, "the wire"): brotli or gzip, each
// event flushed at once so it reaches the client when it is written, or plain text. Browsers' EventSource
// and Node's fetch decode it by themselves. The route is hijacked (a stream outlives the request
// lifecycle), so @fastify/compress, which compresses every other answer, does not see it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

/** Where the hub writes a stream's events. */
export type StreamSink = {
  write(text: string): void;
  end(text?: string): void;
  onClose(fn: () => void): void;
};

export type StreamEncoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts (q=0 refuses one); identity when none. */
export function streamEncoding(acceptEncoding: string | string[] | undefined): StreamEncoding {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const accepted = new Set<string>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return 'identity';
}

/** Starts the event-stream answer on a raw response and returns the sink the hub writes to. */
export function openEventStream(
  request: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): StreamSink {
  const encoding = streamEncoding(request.headers['accept-encoding']);
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    vary: 'accept-encoding',
    ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
  });
  const onClose = (fn: () => void) => res.on('close', fn);
  if (encoding === 'identity')
    return { write: (t) => void res.write(t), end: (t) => void res.end(t), onClose };
  const z =
    encoding === 'br'
      ? createBrotliCompress({
          flush: constants.BROTLI_OPERATION_FLUSH,
          params: { [constants.BROTLI_PARAM_QUALITY]: 4 },
        })
      : createGzip({ flush: constants.Z_SYNC_FLUSH });
  z.pipe(res);
  // A closed connection ends the compressor too (nothing more can be written to it).
  res.on('close', () => z.destroy());
  z.on('error', () => res.destroy());
  return {
    write: (t) => {
      if (!z.destroyed) z.write(t);
    },
    end: (t) => {
      if (z.destroyed) return;
      if (t) z.end(t);
      else z.end();
    },
    onClose,
  };
}
