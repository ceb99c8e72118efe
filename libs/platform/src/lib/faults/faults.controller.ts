import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLE, RequireRoles } from '../auth/principal';
import { ApiJsonResponse, ApiProblemResponses, openApiSchema } from '../http/openapi';
import { validate } from '../http/validate';
import { FaultSwitch, faultSettingsSchema, type FaultSettings } from './fault-switch';

/**
 * GET/PUT /admin/faults: the fault switch at run time, for the admin role only. Mounted only when
 * FAULT_ADMIN_ENABLED=true (the default is off: it belongs to demos and tests, not production).
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiProblemResponses([401, 'No valid access token'], [403, 'The token lacks the admin role'])
@RequireRoles(ADMIN_ROLE)
@Controller('admin/faults')
export class FaultsController {
  constructor(private readonly faults: FaultSwitch) {}

  @Get()
  @ApiOperation({ summary: "The fault switch's current settings" })
  @ApiJsonResponse(200, 'The current settings', faultSettingsSchema)
  get(): FaultSettings {
    return this.faults.current;
  }

  @Put()
  @ApiOperation({ summary: 'Change some or all of the settings; the answer is the settings now in force' })
  @ApiBody({ schema: openApiSchema(faultSettingsSchema.partial(), 'input') })
  @ApiJsonResponse(200, 'The settings now in force', faultSettingsSchema)
  @ApiProblemResponses([400, 'Not valid settings (every problem listed in `errors`)'])
  put(@Body() body: unknown): FaultSettings {
    return this.faults.set(validate(faultSettingsSchema.partial(), body, 'fault settings'));
  }
}
