// Push a citizen's report to LAPOR!, then pull what changed on the app's reports (Node 18+).
const base = process.env.LAPOR_URL ?? 'https://lapor.example.go.id';
const headers = { authorization: `Bearer ${process.env.LAPOR_API_KEY}`, 'content-type': 'application/json' };

const res = await fetch(`${base}/api/v1/integration/reports`, {
  method: 'POST',
  headers,
  body: JSON.stringify({
    externalId: 'GNC-2026-000123', // the app's own id: sending it again is safe
    citizen: { id: 'u-88121', name: 'Siti Aminah', phone: '081234567891' },
    title: 'Drainase tersumbat di Jl. Tanjungpura',
    body: 'Saluran air di depan pasar tersumbat sampah sejak sepekan, air meluap ke jalan.',
    incidentDate: '2026-11-20',
    regionCode: '61.71.01',
  }),
});
const report = await res.json();
console.log(res.status, report.trackingId, report.statusLabel?.en ?? report.error?.message);

let cursor = process.env.LAPOR_CURSOR ?? ''; // keep the last nextCursor, and start from it next time
const changes = await (await fetch(`${base}/api/v1/integration/changes?cursor=${cursor}`, { headers })).json();
for (const c of changes.items) console.log(c.event.type, c.report.externalId, c.report.status);
cursor = changes.nextCursor;
console.log('next cursor', cursor);
