import { Body, Controller, Get, Put } from '@nestjs/common';
import { ADMIN_ROLE, RequireRoles } from '../auth/principal';
import { validate } from '../http/validate';
import { FaultSwitch, faultSettingsSchema, type FaultSettings } from './fault-switch';

/**
 * GET/PUT /admin/faults: the fault switch at run time, for the admin role only. Mounted only when
 * FAULT_ADMIN_ENABLED=true (the default is off: it belongs to demos and tests, not production).
 */
@RequireRoles(ADMIN_ROLE)
@Controller('admin/faults')
export class FaultsController {
  constructor(private readonly faults: FaultSwitch) {}

  @Get()
  get(): FaultSettings {
    return this.faults.current;
  }

  @Put()
  put(@Body() body: unknown): FaultSettings {
    return this.faults.set(validate(faultSettingsSchema.partial(), body, 'fault settings'));
  }
}
