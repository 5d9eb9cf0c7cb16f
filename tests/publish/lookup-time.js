// lookup-time.js — times the published site's tracking-code lookup in headless Chromium, in
// real time (not the virtual time of --virtual-time-budget): opens track.html from file://,
// then looks up N codes from the code list, one at a time, each in a fresh page so that its
// prefix file is loaded as a voter's browser would, and prints the median and the slowest.
//   node tests/publish/lookup-time.js SITE_DIR [N] [CHROMIUM]
// Uses only Node's standard library: Chromium's DevTools protocol over --remote-debugging-pipe.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const site = path.resolve(process.argv[2]);
const n = Number(process.argv[3] || 20);
const bin = process.argv[4] || 'chromium';
const lines = fs.readFileSync(path.join(site, 'data/tracking-codes.csv'), 'utf8')
  .split('\n').filter((l) => l && l[0] !== '#');
const codes = [];
for (let i = 0; i < n; i++) codes.push(lines[Math.floor((i + 0.5) * lines.length / n)].split(',')[0]);
const profile = fs.mkdtempSync(path.join(require('os').tmpdir(), 'lookup-time-'));
const ch = spawn(bin, ['--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe',
  '--user-data-dir=' + profile, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const out = ch.stdio[3], inp = ch.stdio[4];
let id = 0, buf = '';
const waiting = new Map();
inp.on('data', (d) => {
  buf += d.toString();
  let k;
  while ((k = buf.indexOf('\0')) >= 0) {
    const m = JSON.parse(buf.slice(0, k));
    buf = buf.slice(k + 1);
    if (m.id && waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
  }
});
function send(method, params, sessionId) {
  return new Promise((res) => {
    const m = { id: ++id, method, params: params || {} };
    if (sessionId) m.sessionId = sessionId;
    waiting.set(m.id, res);
    out.write(JSON.stringify(m) + '\0');
  });
}
(async () => {
  const times = [];
  for (const code of codes) {
    const t = await send('Target.createTarget', { url: 'file://' + site + '/en/track.html' });
    const s = (await send('Target.attachToTarget', { targetId: t.result.targetId, flatten: true })).result.sessionId;
    for (let k = 0; k < 200; k++) { // until the page and lookup.js are loaded
      const v = await send('Runtime.evaluate', { expression: 'typeof isoloirLookup', returnByValue: true }, s);
      if (v.result && v.result.result && v.result.result.value === 'function') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const r = await send('Runtime.evaluate', {
      awaitPromise: true, returnByValue: true,
      expression: `new Promise((ok) => { const t0 = performance.now();
        isoloirLookup(${JSON.stringify(code)}, (st) => ok([st, performance.now() - t0])); })`,
    }, s);
    if (!r.result || !r.result.result || !Array.isArray(r.result.result.value)) { console.error(JSON.stringify(r).slice(0, 400)); process.exit(1); }
    const [st, ms] = r.result.result.value;
    if (st !== 'found') { console.error(code + ': ' + st); process.exitCode = 1; }
    times.push(ms);
    await send('Target.closeTarget', { targetId: t.result.targetId });
  }
  times.sort((a, b) => a - b);
  console.log(`${codes.length} lookups among ${lines.length} codes: median ${times[times.length >> 1].toFixed(1)} ms, ` +
    `slowest ${times[times.length - 1].toFixed(1)} ms`);
  ch.kill();
  fs.rmSync(profile, { recursive: true, force: true });
})();
