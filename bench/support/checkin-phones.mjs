// The phones of the check-in burst (bench/suites/verification.ts) in their own worker thread: the
// students' phones are not the server, so their HTTP client must not share the server's event loop (in
// the same thread, fetch's own work was a third of what the profile measured). Each of `inFlight` phones
// holds one keep-alive socket and writes its HTTP/1.1 request as one buffer, reading the answer's status
// and Content-Length itself: on this 2-core machine node:http's client took CPU the server and
// PostgreSQL need, and real phones bring their own CPUs. Runs until every phone has sent or `seconds` are
// over. Answers { accepted, latencies, seconds, statuses }.
import { connect } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { url, taskId, tokens, fence, inFlight, seconds } = workerData;
const target = new URL(`/api/checkin/tasks/${encodeURIComponent(taskId)}/checkins`, url);
const HEAD_END = Buffer.from('\r\n\r\n');

/** One phone's keep-alive connection: send(request) resolves with the status of its answer. */
function phoneSocket() {
  const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
  let buffered = Buffer.alloc(0);
  let waiting = null;
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const end = buffered.indexOf(HEAD_END);
    if (end < 0 || !waiting) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffered.length < end + 4 + length) return;
    buffered = buffered.subarray(end + 4 + length);
    const w = waiting;
    waiting = null;
    w.resolve(Number(head.slice(9, 12)));
  });
  socket.on('error', (e) => waiting?.reject(e));
  socket.on('close', () => waiting?.reject(new Error('the server closed the connection')));
  return {
    send(request) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(request);
      });
    },
    close: () => socket.destroy(),
  };
}

function request(token, body) {
  const data = Buffer.from(JSON.stringify(body));
  const head =
    `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: keep-alive\r\n` +
    `content-type: application/json\r\ncontent-length: ${data.length}\r\nauthorization: Bearer ${token}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), data]);
}

const latencies = [];
const statuses = {};
let accepted = 0;
let next = 0;
const t0 = performance.now();
const until = t0 + seconds * 1000;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    const phone = phoneSocket();
    try {
      for (;;) {
        const n = next++;
        const token = tokens[n];
        if (token === undefined || performance.now() > until) return;
        // nine in ten inside the campus, the tenth 5 km away
        const inside = n % 10 !== 0;
        const req = request(token, {
          checkinId: `bench-${n}-000000`,
          lat: fence.lat + (inside ? 0.001 : 0.05),
          lng: fence.lng,
          accuracy: 15,
        });
        const s = performance.now();
        const status = await phone.send(req);
        latencies.push(performance.now() - s);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) accepted++;
      }
    } finally {
      phone.close();
    }
  }),
);
parentPort?.postMessage({ accepted, latencies, seconds: (performance.now() - t0) / 1000, statuses });
