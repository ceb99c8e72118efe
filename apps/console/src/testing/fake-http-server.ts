import { HttpException } from '@nestjs/common';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A throwaway HTTP server on a free port of 127.0.0.1 for unit tests of the console's clients: answers with `handle`, records each request's URL. */
export async function fakeHttpServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: URL[]; close: () => Promise<void> }> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://fake'));
    handle(req, res);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((done) => server.close(() => done())) };
}

/** Answers JSON. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A URL nothing listens on: a port just freed. */
export async function closedUrl(): Promise<string> {
  const server = await fakeHttpServer(() => undefined);
  await server.close();
  return server.url;
}

/** The HttpException a client call throws: its status and body (fails when the call succeeds or throws anything else). */
export async function refusal(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof HttpException)) throw e;
    return { status: e.getStatus(), body: e.getResponse() };
  }
  throw new Error('the call succeeded');
}
