import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { OidcClient } from '../auth/oidc-client';

/** Probes, as the services have them: live while the process runs, ready once people can sign in. */
@Controller('health')
export class HealthController {
  constructor(private readonly oidc: OidcClient) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready once the identity provider's realm answers: without it nobody can sign in. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok' }> {
    const up = await this.oidc.reachable().catch(() => false);
    if (!up) throw new ServiceUnavailableException({ status: 'unavailable', detail: 'the identity provider does not answer' });
    return { status: 'ok' };
  }
}
