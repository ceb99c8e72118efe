import { DynamicModule, Module } from '@nestjs/common';
import { CreateIdempotencyKeys1764000500000, PlatformModule } from '@shop/platform';
import type { OrderConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: OrderConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'order', config, migrations: [CreateIdempotencyKeys1764000500000] })],
    };
  }
}
