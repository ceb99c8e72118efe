import { CuttablePostgres, httpGet, infra, localCa, recreateDatabase, startInfra, waitFor } from '@shop/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { NotificationSender } from '../../src/notifications/application/notification-sender';
import { NotificationService } from '../../src/notifications/application/notification.service';
import { NotificationEntity } from '../../src/notifications/infrastructure/notification.entity';
import { notificationMigrations } from '../../src/app.module';
import { SmtpMailer } from '../../src/notifications/infrastructure/smtp-mailer';
import type { Email } from '../../src/notifications/domain/notification';

const SMTP_PORT = Number(process.env['SMTP_PORT'] ?? 1025);
const MAILPIT = `http://127.0.0.1:${process.env['MAILPIT_HTTP_PORT'] ?? 8025}`;

interface MailpitMessage {
  MessageID: string;
  Subject: string;
  To: Array<{ Address: string }>;
}

/** Messages the real SMTP sink (Mailpit) received with this Message-ID. */
async function received(messageId: string): Promise<MailpitMessage[]> {
  const res = await httpGet(`${MAILPIT}/api/v1/messages?limit=1000`);
  const messages = (res.body as { messages: MailpitMessage[] }).messages;
  return messages.filter((m) => `<${m.MessageID}>` === messageId || m.MessageID === messageId);
}

describe('notification: one email per order and kind, through a real SMTP server', () => {
  let db: DataSource;
  let url: string;
  const service = new NotificationService();
  // STARTTLS, the server verified against the local CA, as the service sends.
  const mailer = () => new SmtpMailer({ host: '127.0.0.1', port: SMTP_PORT, from: 'The Shop <shop@shop.local>', security: infra.smtpSecurity, ca: localCa() });

  beforeAll(async () => {
    await startInfra(['mailpit']);
    db = new DataSource({
      type: 'postgres',
      url: (url = await recreateDatabase('test_notification_sender')),
      entities: [NotificationEntity],
      migrations: notificationMigrations,
      migrationsRun: true,
    });
    await db.initialize();
  });

  afterAll(() => db?.destroy());

  it('sends a notification requested five times, by two senders at once, exactly once', async () => {
    const orderId = `o-${randomUUID()}`;
    const request = { orderId, kind: 'ORDER_CONFIRMED' as const, recipient: 'ada@example.test', customerName: 'Ada', detail: 'Total: 12.50 EUR' };
    const created = await Promise.all([1, 2, 3, 4, 5].map(() => db.transaction((m) => service.enqueue(m, request))));
    expect(created.filter(Boolean)).toHaveLength(1);

    const senders = [new NotificationSender(db, mailer(), { pollMs: 100 }), new NotificationSender(db, mailer(), { pollMs: 100 })];
    const sent = await Promise.all(senders.map((s) => s.sendPending()));
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);

    const row = await db.manager.findOneByOrFail(NotificationEntity, { orderId });
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
    await waitFor('the email in Mailpit', async () => (await received(row.messageId)).length > 0, 10_000);
    const emails = await received(row.messageId);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ Subject: `Your order ${orderId} is confirmed`, To: [{ Address: 'ada@example.test' }] });

    // another round finds nothing left to send
    expect(await senders[0].sendPending()).toBe(0);
    expect(await received(row.messageId)).toHaveLength(1);
    await Promise.all(senders.map((s) => s.stop()));
  });

  it('keeps the notification pending with its error while SMTP is unreachable, and sends it once it is back', async () => {
    const orderId = `o-${randomUUID()}`;
    await db.transaction((m) => service.enqueue(m, { orderId, kind: 'ORDER_REJECTED', recipient: 'bob@example.test', customerName: 'Bob' }));

    const unreachable = new NotificationSender(db, new SmtpMailer({ host: '127.0.0.1', port: 1, from: 'shop@shop.local' }), { pollMs: 100 });
    expect(await unreachable.sendPending()).toBe(0);
    const pending = await db.manager.findOneByOrFail(NotificationEntity, { orderId });
    expect(pending).toMatchObject({ status: 'PENDING', attempts: 1, refusals: 0 }); // unreachable: not a refusal
    expect(pending.lastError).toMatch(/ECONNREFUSED/);
    await unreachable.stop();

    const working = new NotificationSender(db, mailer(), { pollMs: 100 });
    working.start();
    await waitFor('the notification marked sent', async () => (await db.manager.findOneByOrFail(NotificationEntity, { orderId })).status === 'SENT', 10_000);
    await working.stop();
    await waitFor('the email in Mailpit', async () => (await received(pending.messageId)).length === 1, 10_000);
    expect((await db.manager.findOneByOrFail(NotificationEntity, { orderId })).attempts).toBe(2);
  });

  it('sends more than a batch (a transaction of up to 50) in one round, each email once', async () => {
    const run = randomUUID();
    const orderIds = Array.from({ length: 120 }, (_, i) => `o-${run}-${i}`);
    await db.transaction(async (m) => {
      for (const orderId of orderIds) await service.enqueue(m, { orderId, kind: 'ORDER_SHIPPED', recipient: 'cy@example.test', customerName: 'Cy' });
    });
    const sender = new NotificationSender(db, mailer(), { pollMs: 100 });
    expect(await sender.sendPending()).toBe(120);
    const rows = await db.query(`SELECT status, attempts, count(*)::int AS n FROM notification WHERE order_id LIKE $1 GROUP BY status, attempts`, [`o-${run}-%`]);
    expect(rows).toEqual([{ status: 'SENT', attempts: 1, n: 120 }]);
    const messageIds: Array<{ message_id: string }> = await db.query(`SELECT message_id FROM notification WHERE order_id LIKE $1`, [`o-${run}-%`]);
    // Mailpit lists the newest first: these 120 are among its latest 1000.
    const copies = async () => {
      const { messages } = (await httpGet(`${MAILPIT}/api/v1/messages?limit=1000`)).body as { messages: MailpitMessage[] };
      return messageIds.map((r) => messages.filter((m) => `<${m.MessageID}>` === r.message_id || m.MessageID === r.message_id).length);
    };
    await waitFor('120 emails in Mailpit', async () => (await copies()).every((n) => n >= 1), 20_000);
    expect(new Set(await copies())).toEqual(new Set([1]));
    await sender.stop();
  });

  it('sends nothing twice when the database goes away after the SMTP server accepted: the outcome is written once it is back', async () => {
    const orderId = `o-${randomUUID()}`;
    await db.transaction((m) => service.enqueue(m, { orderId, kind: 'ORDER_CONFIRMED', recipient: 'fay@example.test', customerName: 'Fay', detail: 'Total: 1.00 EUR' }));
    const proxy = new CuttablePostgres();
    const port = await proxy.listen();
    const senderDb = new DataSource({ type: 'postgres', url: url.replace(`:${infra.pgPort}/`, `:${port}/`), entities: [NotificationEntity] });
    await senderDb.initialize();
    // The database is cut the moment the SMTP server has accepted the email, before the sender records it.
    class CutAfterSend extends SmtpMailer {
      override async send(email: Email): Promise<void> {
        await super.send(email);
        proxy.cut();
      }
    }
    const sender = new NotificationSender(senderDb, new CutAfterSend({ host: '127.0.0.1', port: SMTP_PORT, from: 'shop@shop.local', security: infra.smtpSecurity, ca: localCa() }), { pollMs: 100 });
    const other = new NotificationSender(db, mailer(), { pollMs: 100 });
    try {
      await expect(sender.sendPending()).rejects.toThrow();
      const claimed = await db.manager.findOneByOrFail(NotificationEntity, { orderId });
      expect(claimed.status).toBe('SENDING');
      // Another replica leaves it alone: it is claimed (leased), not pending.
      await other.sendPending();
      expect((await db.manager.findOneByOrFail(NotificationEntity, { orderId })).status).toBe('SENDING');

      proxy.restore();
      await sender.sendPending();
      expect(await db.manager.findOneByOrFail(NotificationEntity, { orderId })).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
      await waitFor('the email in Mailpit', async () => (await received(claimed.messageId)).length > 0, 10_000);
      expect(await received(claimed.messageId)).toHaveLength(1);
    } finally {
      await Promise.all([sender.stop(), other.stop()]);
      await senderDb.destroy();
      await proxy.close();
    }
  });

  it('sends again an email whose sender died mid-round (claimed, lease run out), with the same Message-ID', async () => {
    const orderId = `o-${randomUUID()}`;
    await db.transaction((m) => service.enqueue(m, { orderId, kind: 'ORDER_SHIPPED', recipient: 'gus@example.test', customerName: 'Gus' }));
    // What a sender killed between claim and record leaves behind.
    await db.query(`UPDATE notification SET status = 'SENDING', next_attempt_at = now() + interval '1 hour' WHERE order_id = $1`, [orderId]);
    const sender = new NotificationSender(db, mailer(), { pollMs: 100 });
    try {
      await sender.sendPending();
      expect((await db.manager.findOneByOrFail(NotificationEntity, { orderId })).status).toBe('SENDING'); // leased: not yet
      await db.query(`UPDATE notification SET next_attempt_at = now() - interval '1 second' WHERE order_id = $1`, [orderId]); // the lease runs out
      expect(await sender.sendPending()).toBeGreaterThanOrEqual(1);
      const row = await db.manager.findOneByOrFail(NotificationEntity, { orderId });
      expect(row).toMatchObject({ status: 'SENT', attempts: 1 });
      await waitFor('the email in Mailpit', async () => (await received(row.messageId)).length === 1, 10_000);
    } finally {
      await sender.stop();
    }
  });

  describe('an address the SMTP server refuses', () => {
    // A second, real Mailpit that accepts only @example.test recipients (its own ports and data; plain SMTP: what is tested here is the refusal).
    const strictSmtpPort = 31926;
    const strictApi = 'http://127.0.0.1:38926';
    let strict: ChildProcess;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'strict-mailpit-'));
      const bin = join(process.env['SHOP_CACHE_DIR'] ?? join(homedir(), '.cache/shop-platform'), 'bin/mailpit');
      strict = spawn(bin, ['--smtp', `127.0.0.1:${strictSmtpPort}`, '--listen', strictApi.replace('http://', ''), '--database', join(dataDir, 'mailpit.db'),
        '--smtp-allowed-recipients', '@example\\.test$', '--smtp-auth-accept-any', '--smtp-auth-allow-insecure', '--smtp-disable-rdns', '--disable-version-check'], { stdio: 'ignore' });
      await waitFor('the strict Mailpit to answer', async () => (await httpGet(`${strictApi}/api/v1/messages`).catch(() => ({ status: 0 }))).status === 200, 15_000);
    });

    afterAll(() => {
      strict?.kill();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('delays no other email, is retried with backoff, and ends FAILED (counted) after the last attempt', async () => {
      const run = randomUUID();
      const enqueue = (orderId: string, recipient: string) => db.transaction((m) => service.enqueue(m, { orderId, kind: 'ORDER_CONFIRMED', recipient, customerName: 'Dee' }));
      await enqueue(`bad-${run}`, 'dee@refused.test'); // the oldest: first in line
      await enqueue(`good-${run}-1`, 'dee@example.test');
      await enqueue(`good-${run}-2`, 'eve@example.test');
      const failedKinds: string[] = [];
      const sender = new NotificationSender(db, new SmtpMailer({ host: '127.0.0.1', port: strictSmtpPort, from: 'shop@shop.local' }), {
        pollMs: 100,
        maxRefusals: 2,
        retryBaseMs: 300,
        onFailed: (kind) => failedKinds.push(kind),
      });
      const status = async (orderId: string) => db.manager.findOneByOrFail(NotificationEntity, { orderId });
      try {
        // Clear anything the earlier tests left pending for the shared table, then this round.
        expect(await sender.sendPending()).toBeGreaterThanOrEqual(2);
        expect(await status(`good-${run}-1`)).toMatchObject({ status: 'SENT' });
        expect(await status(`good-${run}-2`)).toMatchObject({ status: 'SENT' });
        const refused = await status(`bad-${run}`);
        expect(refused).toMatchObject({ status: 'PENDING', attempts: 1, refusals: 1 });
        expect(refused.lastError).toMatch(/550|recipient|not allowed/i);
        expect(refused.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
        // Not due yet: the next round leaves it alone.
        await sender.sendPending();
        expect((await status(`bad-${run}`)).attempts).toBe(1);
        // Due after the backoff: the second (last) attempt is refused too.
        await waitFor('the refused email FAILED', async () => (await sender.sendPending(), (await status(`bad-${run}`)).status === 'FAILED'), 10_000);
        expect(await status(`bad-${run}`)).toMatchObject({ status: 'FAILED', attempts: 2, refusals: 2 });
        expect(failedKinds).toEqual(['ORDER_CONFIRMED']);
        const { messages } = (await httpGet(`${strictApi}/api/v1/messages?limit=100`)).body as { messages: MailpitMessage[] };
        expect(messages.map((m) => m.To[0].Address).sort()).toEqual(['dee@example.test', 'eve@example.test']);
      } finally {
        await sender.stop();
      }
    });
  });
});
