import * as fs from 'node:fs';
import { generateReport } from '../../../electron/core/reports/generate';
import { buildFixtureStore, GOLDEN_NOW, GOLDEN_PARAMS, GOLDEN_GENERATOR, openFixture } from './fixture';
const dir = '/tmp/rep';
fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir);
const file = buildFixtureStore(dir);
const store = openFixture(file);
(async () => {
for (const [kind, params] of Object.entries(GOLDEN_PARAMS)) {
  for (const format of ['html', 'csv', 'json'] as const) {
    const r = await generateReport(store, params, { out: `${dir}/report-${kind}.${format}`, format, now: () => GOLDEN_NOW, generator: GOLDEN_GENERATOR });
    console.log(kind, format, r.bytes, r.rows);
  }
}
store.close();
})().catch((e) => { console.error(e); process.exit(1); });
