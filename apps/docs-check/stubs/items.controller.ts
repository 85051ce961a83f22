// The controller the NestJS quick start imports but does not show.
import { Controller, Get } from '@nestjs/common';

@Controller('items')
export class ItemsController {
  @Get()
  list(): unknown[] {
    return [];
  }
}
