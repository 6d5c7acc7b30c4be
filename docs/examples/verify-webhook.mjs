// A webhook receiver for LAPOR!: checks the signature, answers at once, handles the event after.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/** Whether a delivery came from LAPOR!: the HMAC of "<t>.<body>" matches, and t is at most 5 minutes off. */
export function verifyLaporSignature(secret, header, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(nowSeconds - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const port = Number(process.env.PORT ?? 8080);
  http
    .createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (!verifyLaporSignature(process.env.LAPOR_WEBHOOK_SECRET, req.headers['x-lapor-signature'], body)) {
          return res.writeHead(401).end();
        }
        res.writeHead(204).end();
        const { event, report } = JSON.parse(body); // the same event may come twice: skip an event.id seen before
        console.log(report.externalId, event.type, report.status);
      });
    })
    .listen(port, () => console.log(`listening on ${port}`));
}
