import { BadRequestException, Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { DeadLetterList, ReplayRequest, ReplayResult } from '@shop/console-api';
import { AdminGuard } from '../auth/admin.guard';
import { DeadLettersService } from './dead-letters.service';

/** GET /api/dead-letters (every DLQ topic's messages) and POST /api/dead-letters/replay (one of them, to its original topic). */
@Controller('api/dead-letters')
@UseGuards(AdminGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  list(): Promise<DeadLetterList> {
    return this.deadLetters.list();
  }

  @Post('replay')
  @HttpCode(200)
  replay(@Body() body: Partial<ReplayRequest> | undefined): Promise<ReplayResult> {
    return this.deadLetters.replay(replayRequestOf(body, this.deadLetters.topics));
  }
}

/** The body's dead letter, checked: a DLQ topic the console reads, a partition number, an offset. */
export function replayRequestOf(body: Partial<ReplayRequest> | undefined, topics: readonly string[]): ReplayRequest {
  const problems: string[] = [];
  if (typeof body?.dlqTopic !== 'string' || !topics.includes(body.dlqTopic)) problems.push(`dlqTopic must be one of ${topics.join(', ')}`);
  if (typeof body?.partition !== 'number' || !Number.isInteger(body.partition) || body.partition < 0) problems.push('partition must be a whole number >= 0');
  if (typeof body?.offset !== 'string' || !/^\d+$/.test(body.offset)) problems.push('offset must be a string of digits (Kafka offsets exceed JavaScript numbers)');
  if (problems.length > 0)
    throw new BadRequestException({
      type: 'about:blank',
      title: 'Not a dead letter',
      status: 400,
      detail: problems.join('; '),
    });
  return body as ReplayRequest;
}
