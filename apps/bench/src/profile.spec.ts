import { origin, summarise } from './profile';

describe('CPU profile summary', () => {
  it('names where code lives: a package, a project file, a builtin', () => {
    expect(origin('file:///w/node_modules/kafkajs/src/network/connection.js')).toBe('kafkajs');
    expect(origin('file:///w/node_modules/@opentelemetry/sdk-trace/build/x.js')).toBe('@opentelemetry/sdk-trace');
    expect(origin('webpack://shop/libs/messaging/src/lib/outbox/outbox-relay.ts')).toBe('libs/messaging/src/lib/outbox/outbox-relay.ts');
    expect(origin('node:internal/streams/readable')).toBe('node:internal/streams/readable');
    expect(origin('')).toBe('(native / V8)');
  });

  it('adds self time per function, and per origin with native time charged to its JavaScript caller, leaving out idle time', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'encode', url: 'file:///w/node_modules/kafkajs/a.js', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'query', url: 'file:///w/node_modules/pg/b.js', lineNumber: 0 }, children: [4] },
        { id: 4, callFrame: { functionName: 'writev', url: '', lineNumber: -1 } },
      ],
      samples: [1, 2, 2, 3, 4, 1],
      timeDeltas: [5000, 1000, 1000, 2000, 3000, 5000],
    };
    const summary = summarise([profile]);
    expect(summary.totalMs).toBe(7);
    expect(summary.origins).toEqual([
      { what: 'pg', selfMs: 5, share: 71.4 },
      { what: 'kafkajs', selfMs: 2, share: 28.6 },
    ]);
    expect(summary.functions.find((f) => f.what.startsWith('writev'))).toEqual({ what: 'writev (native / V8)', selfMs: 3, share: 42.9 });
    expect(summary.functions.find((f) => f.what.startsWith('encode'))).toEqual({ what: 'encode kafkajs:10', selfMs: 2, share: 28.6 });
  });
});
