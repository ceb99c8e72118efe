import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { AdminToken } from '../admin-token/admin-token';

/** Probes, as the services have them: live while the process runs, ready once it can read the shop. */
@Controller('health')
export class HealthController {
  constructor(private readonly token: AdminToken) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready once the admin user is signed in (the identity provider answers and the user has the role). */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; signedInAs: string }> {
    try {
      await this.token.get();
    } catch (error) {
      throw new ServiceUnavailableException({ status: 'unavailable', detail: (error as Error).message });
    }
    return { status: 'ok', signedInAs: this.token.user };
  }
}
