import { addRequestLogFields, currentRequestLogFields, RequestLogContextMiddleware } from './request-log-context';

describe('request log context', () => {
  const middleware = new RequestLogContextMiddleware();

  it('keeps the fields a handler adds for the rest of its request, across awaits', async () => {
    let seen: unknown;
    await new Promise<void>((done) =>
      middleware.use(undefined, undefined, () => {
        void (async () => {
          expect(currentRequestLogFields()).toEqual({});
          addRequestLogFields({ orderId: 'o-1' });
          await new Promise((r) => setTimeout(r, 5));
          seen = currentRequestLogFields();
          done();
        })();
      }),
    );
    expect(seen).toEqual({ orderId: 'o-1' });
  });

  it('gives each request its own fields', async () => {
    const seen: unknown[] = [];
    const request = (orderId: string) =>
      new Promise<void>((done) =>
        middleware.use(undefined, undefined, () => {
          void (async () => {
            addRequestLogFields({ orderId });
            await new Promise((r) => setTimeout(r, 5));
            seen.push(currentRequestLogFields());
            done();
          })();
        }),
      );
    await Promise.all([request('a'), request('b')]);
    expect(seen).toEqual(expect.arrayContaining([{ orderId: 'a' }, { orderId: 'b' }]));
  });

  it('is a no-op outside a request', () => {
    addRequestLogFields({ orderId: 'nowhere' });
    expect(currentRequestLogFields()).toBeUndefined();
  });
});
