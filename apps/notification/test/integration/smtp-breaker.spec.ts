import type { BreakerTransition } from '@shop/messaging';
import { httpGet, recreateDatabase, waitFor } from '@shop/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { notificationMigrations } from '../../src/app.module';
import { NotificationSender } from '../../src/notifications/application/notification-sender';
import { NotificationService } from '../../src/notifications/application/notification.service';
import { NotificationEntity } from '../../src/notifications/infrastructure/notification.entity';
import { SmtpMailer } from '../../src/notifications/infrastructure/smtp-mailer';

/** This spec's own Mailpit, stopped and started again on the same ports and data. */
const SMTP_PORT = 20201; // below the ephemeral port range (32768-60999)
const MAILPIT = 'http://127.0.0.1:20202';

/** Counts the breaker's probes (SMTP connection checks). */
class CountingMailer extends SmtpMailer {
  probes = 0;
  override verify(): Promise<void> {
    this.probes++;
    return super.verify();
  }
}

describe('notification: the SMTP breaker while the SMTP server is down', () => {
  const service = new NotificationService();
  let db: DataSource;
  let dataDir: string;
  let mailpit: ChildProcess | undefined;

  async function startMailpit(): Promise<void> {
    const bin = join(process.env['SHOP_CACHE_DIR'] ?? join(homedir(), '.cache/shop-platform'), 'bin/mailpit');
    mailpit = spawn(bin, ['--smtp', `127.0.0.1:${SMTP_PORT}`, '--listen', MAILPIT.replace('http://', ''), '--database', join(dataDir, 'mailpit.db'), '--smtp-disable-rdns', '--disable-version-check'], { stdio: 'ignore' });
    await waitFor('Mailpit to answer', async () => (await httpGet(`${MAILPIT}/api/v1/messages`).catch(() => ({ status: 0 }))).status === 200, 15_000);
  }

  async function stopMailpit(): Promise<void> {
    const proc = mailpit;
    mailpit = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((done) => proc.once('exit', done));
    proc.kill();
    await exited;
  }

  /** How many copies of each Message-ID Mailpit holds. */
  async function copies(messageIds: string[]): Promise<number[]> {
    const { messages } = (await httpGet(`${MAILPIT}/api/v1/messages?limit=1000`)).body as { messages: Array<{ MessageID: string }> };
    return messageIds.map((id) => messages.filter((m) => `<${m.MessageID}>` === id || m.MessageID === id).length);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'breaker-mailpit-'));
    await startMailpit();
    db = new DataSource({ type: 'postgres', url: await recreateDatabase('test_notification_smtp_breaker'), entities: [NotificationEntity], migrations: notificationMigrations, migrationsRun: true });
    await db.initialize();
  });

  afterAll(async () => {
    await stopMailpit();
    await db?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens when the server stops, claims and spends nothing while open, probes, and sends every email once when it is back', async () => {
    const run = randomUUID();
    const enqueue = (orderId: string) => db.transaction((m) => service.enqueue(m, { orderId, kind: 'ORDER_CONFIRMED', recipient: 'ada@example.test', customerName: 'Ada' }));
    const transitions: BreakerTransition[] = [];
    const mailer = new CountingMailer({ host: '127.0.0.1', port: SMTP_PORT, from: 'shop@shop.local' });
    const sender = new NotificationSender(db, mailer, { pollMs: 50, breaker: { probeBaseMs: 100, probeMaxMs: 400, trialWindowMs: 2000 }, onBreakerTransition: (t) => transitions.push(t) });
    sender.start();
    try {
      await enqueue(`before-${run}`);
      await waitFor('the first email sent', async () => (await db.manager.findOneByOrFail(NotificationEntity, { orderId: `before-${run}` })).status === 'SENT', 10_000);

      await stopMailpit();
      const during = Array.from({ length: 5 }, (_, i) => `during-${run}-${i}`);
      for (const orderId of during) await enqueue(orderId);
      await waitFor('the SMTP breaker open', async () => sender.breakerSnapshot().state === 'open', 15_000);
      expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['closed->open']);
      expect(transitions[0]).toMatchObject({ consumer: 'notification-sender', dependency: 'smtp', event: 'down' });
      await waitFor('three probes of the stopped server', async () => mailer.probes >= 3, 15_000);

      // While open, nothing was claimed again: one email spent the attempt that opened the breaker, the others none.
      const rows = await db.query(`SELECT status, attempts, refusals FROM notification WHERE order_id = ANY($1) ORDER BY attempts`, [during]);
      expect(rows).toEqual([...during.slice(1).map(() => ({ status: 'PENDING', attempts: 0, refusals: 0 })), { status: 'PENDING', attempts: 1, refusals: 0 }]);
      expect(sender.breakerSnapshot()).toMatchObject({ state: 'open', lastError: expect.stringMatching(/ECONNREFUSED/) });

      await startMailpit();
      await waitFor('every email sent', async () => {
        const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM notification WHERE order_id = ANY($1) AND status = 'SENT'`, [during]);
        return n === during.length;
      }, 30_000);
      expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
      const messageIds: Array<{ message_id: string }> = await db.query(`SELECT message_id FROM notification WHERE order_id = ANY($1)`, [during]);
      await waitFor('the emails in Mailpit', async () => (await copies(messageIds.map((r) => r.message_id))).every((n) => n >= 1), 10_000);
      expect(await copies(messageIds.map((r) => r.message_id))).toEqual(during.map(() => 1));
    } finally {
      await sender.stop();
    }
  }, 120_000);
});
