import { mkdirSync } from 'node:fs';
import { logFile, rotateLog, type InfraContext } from '../context';
import { portValues, text } from '../settings';
import { requireProvisioned, serverComponent } from '../server';
import { httpOk, tcpOpen } from '../toolkit/ports';
import { localTls } from '../tls';
import { isExecutable } from '../toolkit/process';

/**
 * Mailpit, the SMTP sink, built from the Go module proxy (its API is complete; the web UI's
 * JavaScript is not built). SMTP only after STARTTLS, with a certificate of the local CA (tls.ts),
 * unless SHOP_TLS=off; its HTTP API stays plain HTTP on 127.0.0.1, as a browser reaches it.
 */
const PORTS = { smtp: { env: 'SMTP_PORT', default: 1025 }, http: { env: 'MAILPIT_HTTP_PORT', default: 8025 } } as const;
const p = (ctx: InfraContext) => portValues(PORTS, ctx.env);
const dir = (ctx: InfraContext) => `${ctx.runDir}/mailpit`;
const database = (ctx: InfraContext) => `${dir(ctx)}/mailpit.db`;

export const mailpit = serverComponent(
  {
    name: 'mailpit',
    ports: Object.values(PORTS),
    url: (ctx) => `SMTP 127.0.0.1:${p(ctx).smtp} (${localTls(ctx.env) ? 'STARTTLS required' : 'plain text, SHOP_TLS=off'}), API http://127.0.0.1:${p(ctx).http}`,
  },
  {
    comms: ['mailpit'],
    marker: database,
    healthy: async (ctx) => (await httpOk(`http://127.0.0.1:${p(ctx).http}/api/v1/messages`)) && (await tcpOpen(p(ctx).smtp)),
    readyWhen: (ctx) => `GET http://127.0.0.1:${p(ctx).http}/api/v1/messages = 200 and SMTP :${p(ctx).smtp} open`,
    timeout: { env: 'MAILPIT_START_TIMEOUT', default: 30 },
    runningOn: (ctx) => `${p(ctx).smtp}/${p(ctx).http}`,
    prepare: async (ctx) => {
      requireProvisioned('mailpit', isExecutable(ctx.layout.mailpitBin), `${ctx.layout.mailpitBin} missing`);
      mkdirSync(dir(ctx), { recursive: true });
      rotateLog(logFile(ctx, 'mailpit'));
      const { smtp, http } = p(ctx);
      ctx.log.log(`mailpit: starting SMTP 127.0.0.1:${smtp}, API 127.0.0.1:${http}`);
      // MAILPIT_ALLOWED_RECIPIENTS (a regular expression): every other recipient is refused with an
      // SMTP 5xx, as a real server refuses an unknown address (`npm run chaos` uses it).
      const allowed = ctx.env['MAILPIT_ALLOWED_RECIPIENTS'];
      const tls = localTls(ctx.env)?.server('mailpit');
      return {
        cwd: dir(ctx),
        command: ctx.layout.mailpitBin,
        args: [
          ...['--smtp', `127.0.0.1:${smtp}`, '--listen', `127.0.0.1:${http}`, '--database', database(ctx)],
          // --max: Mailpit deletes all but the newest 500 messages by default, so a check that reads
          // every email sent (the e2e suites, `npm run chaos`) would find older ones missing once a
          // run sent more. MAILPIT_MAX_MESSAGES=0 (the default here) keeps every message.
          ...['--max', text(ctx.env, 'MAILPIT_MAX_MESSAGES', '0')],
          // Any SMTP auth (or none) is accepted, like a dev relay (in plain text too when TLS is off:
          // Mailpit refuses to combine that with STARTTLS required); no version check (no outbound
          // traffic); no reverse DNS lookups.
          ...['--smtp-auth-accept-any', '--smtp-disable-rdns', '--disable-version-check'],
          ...(allowed ? ['--smtp-allowed-recipients', allowed] : []),
          ...(tls ? ['--smtp-tls-cert', tls.certFile, '--smtp-tls-key', tls.keyFile, '--smtp-require-starttls'] : ['--smtp-auth-allow-insecure']),
        ],
      };
    },
  },
);
