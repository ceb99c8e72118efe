import {
  Controller,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { BaseRpcExceptionFilter, Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { ReleaseStockV1, ReserveStockV1, type MessageDefinition } from '@shop/contracts';
import { map, type Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageConsumer, MessageHandlerFn } from '../consumer/message-consumer';
import { createEnvelope } from '../envelope/envelope';
import { NonRetryableError } from '../errors';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../kafka/messaging-options';
import { MessageContext } from './message-context';
import { patternOf } from './message-pattern';
import { connectMessaging, MessagingTransport } from './messaging-transport';
import { DependencyBreakers } from '../resilience/dependency-breakers';

const options: MessagingModuleOptions = { service: 'inventory', brokers: ['127.0.0.1:1'], sasl: { username: 'inventory', password: 'unused' } };

/** Records what passes through it, and adds to what the handler returns (to show it wraps it). */
@Injectable()
class Recorder implements NestInterceptor {
  readonly seen: Array<{ type: string; context: unknown }> = [];

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.seen.push({ type: context.getType(), context: context.switchToRpc().getContext() });
    return next.handle().pipe(map((result) => ({ wrapped: result })));
  }
}

class Units implements PipeTransform<ReserveStockV1, number> {
  transform(command: ReserveStockV1): number {
    return command.lines.reduce((sum, l) => sum + l.quantity, 0);
  }
}

const failure = new NonRetryableError('no such order');

@Controller()
@UseInterceptors(Recorder)
class Handlers {
  readonly units: number[] = [];

  @EventPattern(patternOf(ReserveStockV1))
  async reserve(@Payload(Units) units: number, @Ctx() ctx: MessageContext): Promise<string> {
    this.units.push(units);
    return `${ctx.topic}@${ctx.offset}`;
  }

  @EventPattern(patternOf(ReleaseStockV1))
  async release(): Promise<void> {
    throw failure;
  }
}

async function start(...controllers: Array<Type<unknown>>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    controllers,
    providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, { provide: DataSource, useValue: {} }, DependencyBreakers, MessagingTransport, Recorder],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  connectMessaging(app);
  try {
    await app.startAllMicroservices();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/** What the consumer calls for a message of that definition (the transport's registration). */
function consumerHandler(app: INestApplication, definition: MessageDefinition<never>): MessageHandlerFn<unknown> {
  const consumer = app.get(MessagingTransport).unwrap<MessageConsumer>();
  const registered = (consumer as unknown as { handlers: Map<string, { handler: MessageHandlerFn<unknown> }> }).handlers.get(patternOf(definition));
  if (!registered) throw new Error(`${patternOf(definition)} is not registered with the consumer`);
  return registered.handler;
}

function delivery(data: unknown, definition: MessageDefinition<never>) {
  const envelope = createEnvelope(definition as MessageDefinition<unknown>, data, 'order');
  return { manager: {} as EntityManager, envelope, topic: definition.topic, partition: 0, offset: '7', attempt: 1, heartbeat: async () => undefined };
}

/** The transport's side of a delivery, with the consumer and Kafka left out: Nest's pipeline and the error the consumer sees. */
describe('MessagingTransport', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('subscribes the consumer to every @EventPattern, by the contract the pattern names', async () => {
    app = await start(Handlers);
    const transport = app.get(MessagingTransport);
    expect(transport.consumerStatus()).toMatchObject({ group: 'inventory', handles: [patternOf(ReserveStockV1), patternOf(ReleaseStockV1)], topics: ['inventory.commands'], joined: false });
  });

  it('runs the handler through the interceptor and the pipe, with a MessageContext, and waits for its result', async () => {
    app = await start(Handlers);
    const data = { orderId: 'order-1', lines: [{ sku: 'MUG-LOGO', quantity: 2 }, { sku: 'MUG-PLAIN', quantity: 3 }] };
    await consumerHandler(app, ReserveStockV1)(data, delivery(data, ReserveStockV1));
    expect(app.get(Handlers).units).toEqual([5]);
    const [seen] = app.get(Recorder).seen;
    expect(seen.type).toBe('rpc');
    expect(seen.context).toBeInstanceOf(MessageContext);
    expect(seen.context).toMatchObject({ topic: 'inventory.commands', offset: '7', attempt: 1 });
  });

  it("hands the handler's own error to the consumer, and Nest neither replaces nor logs it", async () => {
    const logged = jest.spyOn((BaseRpcExceptionFilter as unknown as { logger: { error: (...args: unknown[]) => void } }).logger, 'error');
    try {
      app = await start(Handlers);
      const data = { orderId: 'order-1' };
      const outcome = consumerHandler(app, ReleaseStockV1)(data, delivery(data, ReleaseStockV1));
      await expect(outcome).rejects.toBe(failure);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('fails the boot on a pattern that names no contract, and says which', async () => {
    @Controller()
    class Misnamed {
      @EventPattern('inventory.reserve-stock@9')
      async reserve(): Promise<void> {
        // never called: the boot fails first
      }
    }
    await expect(start(Misnamed)).rejects.toThrow('no message is known by the pattern "inventory.reserve-stock@9"');
  });

  it('fails the boot on a request-response @MessagePattern and on a second handler of one message', async () => {
    @Controller()
    class Replying {
      @MessagePattern(patternOf(ReserveStockV1))
      async reserve(): Promise<string> {
        return 'reply';
      }
    }
    @Controller()
    class Again {
      @EventPattern(patternOf(ReserveStockV1))
      async reserve(): Promise<void> {
        // never called: the boot fails first
      }
    }
    await expect(start(Replying)).rejects.toThrow('is a @MessagePattern');
    await expect(start(Handlers, Again)).rejects.toThrow('has more than one @EventPattern handler');
  });

  it("leaves the lifecycle hooks to the application: starting the transport does not run them again", async () => {
    let bootstraps = 0;
    const moduleRef = await Test.createTestingModule({
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, { provide: DataSource, useValue: {} }, DependencyBreakers, MessagingTransport, { provide: 'hooks', useValue: { onApplicationBootstrap: () => bootstraps++ } }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectMessaging(app);
    await app.startAllMicroservices();
    await app.init();
    expect(bootstraps).toBe(1);
  });

  it('starts no consumer in a service without handlers', async () => {
    app = await start();
    expect(app.get(MessagingTransport).consumerStatus()).toBeNull();
    expect(app.get(MessagingTransport).consumerGroups()).toEqual([]);
  });
});
