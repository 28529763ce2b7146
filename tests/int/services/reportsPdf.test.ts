// The app's PDF path: the report's HTML is built in a worker, then printed by an injected printer (in the
// app Electron's printToPDF; here a real Chromium through the same PdfPrinter seam).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumPrinter } from '../../../electron/core/reports/pdf';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

const printer = chromiumPrinter();
afterAll(async () => {
  await printer.close?.();
});

describe('reports.save as PDF with the app printer', () => {
  const tempDir = useTempDir();

  it('writes a PDF built from the worker-made HTML, and leaves no temporary files', async () => {
    const dir = tempDir();
    const { services, pickOnCreate, pickOnSave } = makeServices(dir, { pdfPrinter: printer });
    pickOnCreate(join(dir, 'p.hindsight'));
    await services.handlers['store.createDialog']({});
    await services.handlers['commands.execute']({
      commandType: 'OpenAccount',
      payload: { accountId: 'p1', owner: 'P', currency: 'EUR' },
      actor: 't',
    });
    const out = join(dir, 'p1.pdf');
    pickOnSave(out);
    const record = await services.handlers['reports.save']({
      request: { kind: 'entity', streams: ['account-p1'] },
      format: 'pdf',
    });
    expect(record).toMatchObject({ path: out, format: 'pdf', verification: 'intact' });
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readdirSync(dir).filter((name) => name.includes('.print-') || name.includes('.partial-'))).toEqual([]);
    services.dispose();
  }, 60_000);

  it('refuses a PDF over the row limit before printing, and writes nothing', async () => {
    const dir = tempDir();
    const { services, pickOnCreate, pickOnSave } = makeServices(dir, { pdfPrinter: printer });
    pickOnCreate(join(dir, 'big.hindsight'));
    await services.handlers['store.createDialog']({});
    await services.handlers['commands.execute']({
      commandType: 'OpenAccount',
      payload: { accountId: 'b1', owner: 'B', currency: 'EUR' },
      actor: 't',
    });
    for (let i = 0; i < 2000; i++) {
      await services.handlers['commands.execute']({
        commandType: 'DepositMoney',
        payload: { accountId: 'b1', amount: 1 },
        actor: 't',
      });
    }
    const out = join(dir, 'big.pdf');
    pickOnSave(out);
    await expect(
      services.handlers['reports.save']({ request: { kind: 'entity', streams: ['account-b1'] }, format: 'pdf' }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.print-') || name.includes('.partial-'))).toEqual([]);
    services.dispose();
  }, 120_000);
});
