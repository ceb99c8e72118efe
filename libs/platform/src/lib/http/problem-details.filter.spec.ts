import { BadRequestException, Body, Controller, Get, Module, Post, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DomainError } from '../../errors';
import { ProblemDetailsFilter } from './problem-details.filter';

@Controller('things')
class ThingsController {
  @Get('missing')
  missing() {
    throw new DomainError('THING.NOT_FOUND', 'NOT_FOUND', 'thing 42 does not exist', { thingId: '42' });
  }
  @Get('conflict')
  conflict() {
    throw new DomainError('THING.CANNOT_CANCEL', 'CONFLICT', 'thing 42 was already shipped');
  }
  @Get('clash')
  clash() {
    throw new DomainError('THING.CANNOT_CANCEL', 'CONFLICT', 'thing 42 was already shipped', { status: 'SHIPPED', code: 'other' });
  }
  @Get('invalid')
  invalid() {
    throw new BadRequestException({ message: 'lines[0].quantity: must be greater than 0', errors: [{ path: 'lines.0.quantity' }] });
  }
  @Get('boom')
  boom() {
    throw new Error('connection string postgres://admin:secret@db leaked?');
  }
  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }
}

/** Middleware for every route and method, as nestjs-pino mounts it: Express sees a route for every method on `{/*splat}`. */
@Module({ controllers: [ThingsController] })
class ThingsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply((_req: unknown, _res: unknown, next: () => void) => next()).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}

describe('ProblemDetailsFilter', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThingsModule],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
    app.useBodyParser('json', { limit: '1kb' });
    await app.init();
  });

  afterAll(() => app.close());

  const get = (path: string) => request(app.getHttpServer()).get(path);

  it('maps a NOT_FOUND domain error to 404 problem+json with its stable code', async () => {
    const res = await get('/things/missing');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toEqual({
      type: 'urn:shop:problem:THING.NOT_FOUND',
      title: 'Not found',
      status: 404,
      detail: 'thing 42 does not exist',
      instance: '/things/missing',
      code: 'THING.NOT_FOUND',
      thingId: '42',
    });
  });

  it('never lets a detail replace a standard member (a `status` detail once turned a 409 into a 500)', async () => {
    const res = await get('/things/clash');
    expect(res.status).toBe(409);
    expect(JSON.parse(res.text)).toMatchObject({ status: 409, code: 'THING.CANNOT_CANCEL' });
  });

  it('maps CONFLICT to 409', async () => {
    const res = await get('/things/conflict');
    expect(res.status).toBe(409);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'THING.CANNOT_CANCEL', detail: 'thing 42 was already shipped' });
  });

  it('keeps validation details from a 400', async () => {
    const res = await get('/things/invalid');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({
      code: 'REQUEST.INVALID',
      detail: 'lines[0].quantity: must be greater than 0',
      errors: [{ path: 'lines.0.quantity' }],
    });
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await request(app.getHttpServer()).post('/things/echo').set('content-type', 'application/json').send('{"a":');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ code: 'REQUEST.INVALID', detail: expect.stringMatching(/JSON/) });
    const big = await request(app.getHttpServer())
      .post('/things/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(2048) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({ code: 'REQUEST.TOO_LARGE', detail: 'request body too large' });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await get('/nowhere');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'REQUEST.NOT_FOUND', status: 404 });
  });

  it('answers a method the path does not have with 405 and Allow, not 404 (RFC 9110)', async () => {
    for (const res of [await request(app.getHttpServer()).delete('/things/echo'), await request(app.getHttpServer()).put('/things/echo')]) {
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('POST');
      expect(JSON.parse(res.text)).toMatchObject({ code: 'REQUEST.METHOD_NOT_ALLOWED', status: 405, instance: '/things/echo' });
    }
    const onGet = await request(app.getHttpServer()).post('/things/missing');
    expect(onGet.status).toBe(405);
    expect(onGet.headers['allow']).toBe('GET, HEAD');
  });

  it('keeps a 404 thrown by a handler a 404: the route exists, the thing does not', async () => {
    const res = await get('/things/missing');
    expect(res.status).toBe(404);
    expect(res.headers['allow']).toBeUndefined();
  });

  it('hides the internals of an unexpected error behind a 500', async () => {
    const res = await get('/things/boom');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('secret');
    expect(JSON.parse(res.text)).toMatchObject({ code: 'INTERNAL', detail: 'an unexpected error occurred' });
  });
});
