import type { SessionCreated } from '@buy-button/element/wire';
import { describe, expect, it } from 'vitest';
import { problemType } from '../problems/problem-types.js';
import { checkout, createHarness, RECEIPT_SECRET } from '../test/harness.js';
import { ReceiptSigner } from './receipt-signer.js';

const PREVIOUS = 'p'.repeat(32);

describe('RECEIPT_PREVIOUS_SECRET', () => {
  it('lets a receipt signed with the previous secret read its session, and not another one', async () => {
    const harness = createHarness({ env: { RECEIPT_PREVIOUS_SECRET: PREVIOUS } });
    const session = (await (
      await checkout(harness, { button: 'btn_coffee' })
    ).json()) as SessionCreated;
    const read = (receipt: string) =>
      harness.bff.request(`/sessions/${session.orderRef}`, {
        headers: { authorization: `Bearer ${receipt}` },
      });
    const signedWith = (secret: string) =>
      new ReceiptSigner({
        secret,
        ttlSeconds: harness.config.receipt.ttlSeconds,
        now: () => harness.clock.now,
      }).sign(session.orderRef);

    expect(session.receipt).toBe(await signedWith(RECEIPT_SECRET));
    expect((await read(session.receipt)).status).toBe(200);
    expect((await read(await signedWith(PREVIOUS))).status).toBe(200);
    const foreign = await read(await signedWith('f'.repeat(32)));
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as { type: string }).type).toBe(problemType('invalidReceipt'));
  });
});
