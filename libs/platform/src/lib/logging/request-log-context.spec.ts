import { addRequestLogFields, currentRequestLogFields, RequestLogContextMiddleware } from './request-log-context';

/** A promise the test resolves from outside the request: the await in between is a real async hop. */
function gate(): { opened: Promise<void>; open: () => void } {
  const g = {} as { opened: Promise<void>; open: () => void };
  g.opened = new Promise<void>((resolve) => (g.open = resolve));
  return g;
}

describe('request log context', () => {
  const middleware = new RequestLogContextMiddleware();

  it('keeps the fields a handler adds for the rest of its request, across awaits', async () => {
    const resume = gate();
    let seen: unknown;
    const finished = new Promise<void>((done) =>
      middleware.use(undefined, undefined, () => {
        void (async () => {
          expect(currentRequestLogFields()).toEqual({});
          addRequestLogFields({ orderId: 'o-1' });
          await resume.opened;
          seen = currentRequestLogFields();
          done();
        })();
      }),
    );
    // The middleware has returned: the handler resumes after it, from the test's own context.
    resume.open();
    await finished;
    expect(seen).toEqual({ orderId: 'o-1' });
  });

  it('gives each request its own fields', async () => {
    // Both requests add their fields before either reads: each read comes after the other's write.
    const bothWritten = gate();
    const seen: unknown[] = [];
    const request = (orderId: string) =>
      new Promise<void>((done) =>
        middleware.use(undefined, undefined, () => {
          void (async () => {
            addRequestLogFields({ orderId });
            await bothWritten.opened;
            seen.push(currentRequestLogFields());
            done();
          })();
        }),
      );
    const requests = [request('a'), request('b')];
    bothWritten.open();
    await Promise.all(requests);
    expect(seen).toEqual([{ orderId: 'a' }, { orderId: 'b' }]);
  });

  it('is a no-op outside a request', () => {
    addRequestLogFields({ orderId: 'nowhere' });
    expect(currentRequestLogFields()).toBeUndefined();
  });
});
