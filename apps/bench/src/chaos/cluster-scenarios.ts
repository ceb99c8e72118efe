import { ALL_TOPICS } from '@shop/contracts';
import { infraContext } from '@shop/infra';
import { SERVICES, waitFor, type Shop } from '@shop/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { whileDown, type ChaosContext, type Scenario } from './scenarios';

/**
 * The faults of `npm run chaos -- --cluster`: the shop of three Kafka nodes (each broker and
 * controller) and two replicas of every service, under the same steady load and the same checks
 * as the single-node run, plus its own: no order refused while no process is down, and no saga
 * step given up on its deadline (the cluster shop's step timeout is longer than a failover).
 */

const seconds = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
/** Holds a fault for `s` seconds: the fault's length, not a wait for something to happen. */
const holdFault = seconds;
const waitUntil = (what: string, check: () => Promise<boolean>, timeoutMs: number) => waitFor(what, check, timeoutMs, 250);
const since = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

/**
 * The node leading the KRaft metadata quorum (the active controller), asked of the controllers by
 * Kafka's own Admin client (QuorumLeader.java: kafkajs cannot ask it). A client timeout is tried
 * again (three tries at most): on a busy machine the JVM's client has timed out before a
 * controller answered.
 */
async function activeController(shop: Shop): Promise<number> {
  const { layout } = await infraContext({ env: { ...process.env } });
  const { username, password } = shop.local.kafka.credentials('admin');
  const controllers = shop.local.kafka.nodes.map((n) => `127.0.0.1:${n.controllerPort}`).join(',');
  for (let attempt = 1; ; attempt++) {
    const { stdout } = await promisify(execFile)(
      'java',
      ['-cp', `${layout.kafkaLibs}/*`, join(__dirname, 'QuorumLeader.java'), controllers, shop.local.tls?.caFile ?? 'plain', username, password],
      { timeout: 120_000 },
    );
    const verdict = stdout.trim().split('\n').at(-1) ?? '';
    const leader = /^leader (\d+)$/.exec(verdict);
    if (leader) return Number(leader[1]);
    if (attempt === 3 || !verdict.startsWith('failed TimeoutException')) throw new Error(`which node is the active controller: ${verdict || 'no answer'}`);
  }
}

/** After Kafka node `node` was killed: waits until the controller has fenced it and every partition it led has another leader, as after a real crash. */
async function fenced({ kafka, log }: ChaosContext, node: number, killedAt: number): Promise<void> {
  await waitUntil(
    `node ${node} fenced, none of its partitions led by it`,
    async () => !(await kafka.brokerIds()).includes(node) && (await kafka.partitions([...ALL_TOPICS])).every((p) => p.leader !== node),
    60_000,
  );
  log(`kafka node ${node}: fenced and its partitions led by others ${since(killedAt)} after the kill; starting it again`);
}

/** Starts the killed Kafka node again and waits until it is back in every partition's in-sync replicas (it has caught up). */
async function startedAgain({ shop, kafka, log }: ChaosContext, node: number): Promise<void> {
  const startedAt = Date.now();
  await shop.startComponent('kafka');
  await waitUntil(`node ${node} back in every partition's in-sync replicas`, async () => (await kafka.partitions([...ALL_TOPICS])).every((p) => p.isr.length === 3), 120_000);
  log(`kafka node ${node}: back in every in-sync set ${since(startedAt)} after its start`);
}

/**
 * The order service's outbox shards and who holds them: `holder` is the relay's name
 * (`order@<host>/<pid>/<id>`), `pid` the process it names.
 */
async function orderLeases(shop: Shop): Promise<Array<{ shard: number; holder: string | null; pid: number | null; live: boolean }>> {
  const rows = await shop.query<{ shard: number; holder: string | null; live: boolean }>('order', 'SELECT shard, holder, expires_at > now() AS live FROM outbox_relay_lease ORDER BY shard');
  return rows.map((r) => ({ ...r, pid: r.holder ? Number(/\/(\d+)\//.exec(r.holder)?.[1] ?? NaN) : null }));
}

export function clusterScenarios(short: boolean): Scenario[] {
  const freezeS = short ? 20 : 60;
  return [
    {
      name: 'kafka broker kill',
      fault: 'SIGKILL of a Kafka node that is not the active controller; started again once fenced, until back in every in-sync set',
      async run(ctx) {
        const leader = await activeController(ctx.shop);
        const node = ctx.shop.local.kafka.nodes.map((_, i) => i + 1).find((id) => id !== leader) as number;
        ctx.log(`kafka broker kill: node ${node} (node ${leader} is the active controller)`);
        await whileDown(ctx, async () => {
          const killedAt = Date.now();
          await ctx.shop.killKafkaNode(node);
          await fenced(ctx, node, killedAt);
          await startedAgain(ctx, node);
        });
      },
    },
    {
      name: 'active controller kill',
      fault: 'SIGKILL of the Kafka node leading the KRaft quorum; started again once another node leads it and has fenced it',
      async run(ctx) {
        const leader = await activeController(ctx.shop);
        ctx.log(`active controller kill: node ${leader}`);
        await whileDown(ctx, async () => {
          const killedAt = Date.now();
          await ctx.shop.killKafkaNode(leader);
          let next = leader;
          await waitUntil('another node to lead the quorum', async () => (next = await activeController(ctx.shop)) !== leader, 60_000);
          // Each question starts a JVM (a few seconds): the figure is an upper bound.
          ctx.measured.push(`node ${next} led the quorum at most ${since(killedAt)} after node ${leader} was killed`);
          await fenced(ctx, leader, killedAt);
          await startedAgain(ctx, leader);
        });
      },
    },
    {
      name: 'replica kill',
      fault: 'SIGKILL of the second replica of every service at once, mid-saga; restarted at once',
      async run(ctx) {
        await whileDown(ctx, async () => {
          for (const service of SERVICES) {
            const proc = ctx.shop.replicasOf(service)[1];
            if (!proc) throw new Error(`${service} has no second replica`);
            await proc.stop('SIGKILL');
          }
          await Promise.all(SERVICES.map((service) => ctx.shop.restart(service, 2)));
        });
      },
    },
    {
      name: 'order relay frozen',
      fault: `the order replica holding outbox shard 0 frozen (SIGSTOP) for ${freezeS} s, orders going through the other replica meanwhile; then SIGCONT`,
      async run(ctx) {
        const { shop, load, log } = ctx;
        const replicas = shop.replicasOf('order');
        const leases = await orderLeases(shop);
        const shard0 = leases.find((l) => l.shard === 0);
        const frozen = replicas.findIndex((p) => p.child.pid === shard0?.pid);
        if (frozen < 0 || !shard0?.live) throw new Error(`no live order replica holds outbox shard 0: ${JSON.stringify(leases)}`);
        const theirs = leases.filter((l) => l.pid === shard0.pid).map((l) => l.shard);
        const pid = replicas[frozen].child.pid as number;
        // A load balancer's health check would take the frozen replica out of rotation: so does the load.
        load.via = replicas.map((_, i) => i).filter((i) => i !== frozen);
        const [{ at: frozenAt }] = await shop.query<{ at: Date }>('order', 'SELECT now() AS at');
        process.kill(pid, 'SIGSTOP');
        log(`order relay frozen: replica ${frozen + 1} (pid ${pid}, shards ${theirs.join(', ')}) stopped at ${frozenAt.toISOString()}`);
        try {
          // Another replica publishes the frozen one's shards once its lease has run out: the first
          // row of those shards published after the freeze says when.
          await waitUntil(
            'a row of the frozen shards published by another relay',
            async () =>
              (
                await shop.query<{ n: number }>(
                  'order',
                  `SELECT count(*)::int AS n FROM outbox_message WHERE published_at > $1 AND (key_hash & 2147483647) % $2 = ANY($3::int[])`,
                  [frozenAt, shop.replicas, theirs],
                )
              )[0].n > 0,
            30_000,
          );
          const [{ first }] = await shop.query<{ first: Date }>(
            'order',
            `SELECT min(published_at) AS first FROM outbox_message WHERE published_at > $1 AND (key_hash & 2147483647) % $2 = ANY($3::int[])`,
            [frozenAt, shop.replicas, theirs],
          );
          const takeoverS = (first.getTime() - frozenAt.getTime()) / 1000;
          const holders = (await orderLeases(shop)).filter((l) => theirs.includes(l.shard)).map((l) => l.pid);
          ctx.measured.push(`the frozen replica's shards published by another relay ${takeoverS.toFixed(1)} s after the freeze (database clock; lease 3 s); now held by pid ${[...new Set(holders)].join(', ')}`);
          if (takeoverS > 5) throw new Error(`the frozen relay's shards were first published by another replica ${takeoverS.toFixed(1)} s after the freeze: more than 5 s`);
          await holdFault(freezeS - (Date.now() - frozenAt.getTime()) / 1000);
        } finally {
          process.kill(pid, 'SIGCONT');
          load.via = replicas.map((_, i) => i);
        }
      },
    },
    {
      name: 'rolling restart',
      fault: 'every replica of every service stopped (SIGTERM) and started again, one at a time, each back to ready before the next',
      async run(ctx) {
        for (const service of SERVICES) {
          for (let replica = 1; replica <= ctx.shop.replicas; replica++) {
            await whileDown(ctx, async () => {
              await ctx.shop.replicasOf(service)[replica - 1].stop('SIGTERM');
              await ctx.shop.restart(service, replica);
            });
          }
        }
      },
    },
  ];
}
