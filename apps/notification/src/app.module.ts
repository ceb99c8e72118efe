import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import type { NotificationConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'notification', config })],
    };
  }
}
