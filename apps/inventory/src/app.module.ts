import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import type { InventoryConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'inventory', config })],
    };
  }
}
