import { BadRequestException, Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { MESSAGE_TYPE_PATTERN, subjectsOfType, type MessageSchemasResult } from '@shop/console-api';
import { SchemaRegistryClient } from '@shop/contracts';
import { AdminGuard } from '../auth/admin.guard';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';

/**
 * A message type's schemas as the schema registry holds them (the order page links each of its
 * Kafka messages here): the latest version of each of the type's subjects, `<type>.v<version>`.
 */
@Controller('api/schemas')
@UseGuards(AdminGuard)
export class MessageSchemasController {
  private readonly registry: SchemaRegistryClient | null;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {
    this.registry = config.SCHEMA_REGISTRY_URL ? new SchemaRegistryClient(config.SCHEMA_REGISTRY_URL) : null;
  }

  @Get(':type')
  async ofType(@Param('type') type: string): Promise<MessageSchemasResult> {
    if (!MESSAGE_TYPE_PATTERN.test(type)) throw new BadRequestException(`not a message type: ${type} (e.g. order.confirmed)`);
    const registry = this.registry;
    if (!registry) return { available: false, reason: 'the console has no schema registry configured (SCHEMA_REGISTRY_URL)' };
    try {
      const subjects = subjectsOfType(await registry.subjects(), type);
      const versions = await Promise.all(subjects.map((s) => registry.latest(s)));
      // null: a subject deleted between the two calls.
      const schemas = versions.filter((v) => v !== null).map((v) => ({ subject: v.subject, version: v.version, id: v.id, schema: JSON.parse(v.schema) as unknown }));
      return { available: true, type, schemas };
    } catch (error) {
      return { available: false, reason: `the schema registry at ${this.config.SCHEMA_REGISTRY_URL} does not answer: ${(error as Error).message}` };
    }
  }
}
