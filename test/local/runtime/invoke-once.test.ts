// invokeOnce's own guard: a request Lambda would refuse (over 6 MB) starts nothing, whoever calls it (the CLI checks the
// file first; other callers rely on this).
import { MAX_SYNC_REQUEST_BYTES } from '../../../lib/lambda-facts';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { RequestTooLargeError, invokeOnce } from '../../../lib/local/runtime/invoke-once';

test('an event one byte over the limit is refused before any environment starts; one at the limit starts one', async () => {
  const startSandbox = jest.fn(async () => { throw new Error('started'); });
  const fn = { startSandbox } as unknown as LocalFunction;
  const over = invokeOnce(fn, Buffer.alloc(MAX_SYNC_REQUEST_BYTES + 1, 0x20), { log: () => undefined });
  await expect(over).rejects.toBeInstanceOf(RequestTooLargeError);
  await expect(over).rejects.toThrow(/^RequestEntityTooLargeException: 6291457 byte payload is too large for the RequestResponse invocation type \(limit 6291456 bytes\)$/);
  expect(startSandbox).not.toHaveBeenCalled();
  await expect(invokeOnce(fn, Buffer.alloc(MAX_SYNC_REQUEST_BYTES, 0x20), { log: () => undefined })).rejects.toThrow('started');
  expect(startSandbox).toHaveBeenCalledTimes(1);
});
