import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import type { ShippingConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: ShippingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'shipping', config })],
    };
  }
}
