// The phones of the check-in burst (bench/suites/verification.ts) in their own worker thread: the
// students' phones are not the server, so their HTTP client must not share the server's event loop (in
// the same thread, fetch's own work was a third of what the profile measured). Plain node:http with
// keep-alive sockets, `inFlight` requests at a time, until every phone has sent or `seconds` are over.
// Answers { accepted, latencies, seconds, statuses }.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, taskId, tokens, fence, inFlight, seconds } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
const target = new URL(`/api/checkin/tasks/${encodeURIComponent(taskId)}/checkins`, url);

function post(token, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': data.length,
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const latencies = [];
const statuses = {};
let accepted = 0;
let next = 0;
const t0 = performance.now();
const until = t0 + seconds * 1000;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    for (;;) {
      const n = next++;
      const token = tokens[n];
      if (token === undefined || performance.now() > until) return;
      // nine in ten inside the campus, the tenth 5 km away
      const inside = n % 10 !== 0;
      const s = performance.now();
      const status = await post(token, {
        checkinId: `bench-${n}-000000`,
        lat: fence.lat + (inside ? 0.001 : 0.05),
        lng: fence.lng,
        accuracy: 15,
      });
      latencies.push(performance.now() - s);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 201) accepted++;
    }
  }),
);
agent.destroy();
parentPort?.postMessage({ accepted, latencies, seconds: (performance.now() - t0) / 1000, statuses });
