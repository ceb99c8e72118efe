import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The layer rule of the root eslint.config.mjs, as `nx lint order` applies it: ESLint run from
 * this project's folder, with this project's config. (Its file patterns once named `apps/*` paths,
 * which never match from here, and every import across the layers linted clean.)
 */
describe('lint: layers import downwards only', () => {
  const project = resolve(__dirname, '..');
  const eslint = resolve(project, '../../node_modules/.bin/eslint');
  const lint = (path: string, source: string) => {
    const run = spawnSync(eslint, ['--stdin', '--stdin-filename', path, '--format', 'json'], { cwd: project, input: source, encoding: 'utf8' });
    const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it('refuses an import of the http layer in the domain, and of Nest', () => {
    const source = "import { Injectable } from '@nestjs/common';\nimport { OrdersController } from '../http/orders.controller';\nexport const probe = [Injectable, OrdersController];\n";
    const messages = lint('src/orders/domain/probe.ts', source);
    expect(messages).toEqual([expect.stringMatching(/no Nest, no TypeORM/), expect.stringMatching(/layers import downwards only/)]);
  }, 60_000);

  it('lets the http layer import the application layer', () => {
    expect(lint('src/orders/http/probe.ts', "import { PlaceOrderCommand } from '../application/place-order/place-order.command';\nexport const probe = PlaceOrderCommand;\n")).toEqual([]);
  }, 60_000);
});
