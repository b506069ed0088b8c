import { describe, expect, it } from 'vitest';
import { registerTransferOps, transferOps, type TransferOps } from '../../../src/core/transfer-hook.js';
import { NotImplementedError } from '../../../src/core/errors.js';

describe('transfer hook', () => {
  it('throws a clear NotImplementedError until the transfer layer registers, then delegates', () => {
    expect(() => transferOps('copyIn')).toThrow(NotImplementedError);
    expect(() => transferOps('syncOut')).toThrow('syncOut requires the transfer layer (import "vost")');
    const ops = { copyIn: async (fs: unknown) => fs } as unknown as TransferOps;
    registerTransferOps(ops);
    expect(transferOps('copyIn')).toBe(ops);
  });
});
