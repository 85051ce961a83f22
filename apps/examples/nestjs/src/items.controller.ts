import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';

/** Accepts requests with `Authorization: Bearer demo`. Preflights never reach it. */
class DemoAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return req.headers.authorization === 'Bearer demo';
  }
}

interface Item {
  readonly id: number;
  readonly name: string;
}

@Controller('api/items')
export class ItemsController {
  private readonly items = new Map<number, Item>([[1, { id: 1, name: 'first' }]]);
  private nextId = 2;

  @Get()
  @Header('X-Total-Count', '1')
  list(): Item[] {
    return [...this.items.values()];
  }

  @Post()
  create(@Body() body: { name?: unknown } | undefined): Item {
    if (typeof body?.name !== 'string') throw new BadRequestException('name must be a string');
    const item = { id: this.nextId++, name: body.name };
    this.items.set(item.id, item);
    return item;
  }

  /** Needs `Authorization`: the browser preflights it, CorsModule answers, then the guard runs. */
  @Delete(':id')
  @HttpCode(204)
  @UseGuards(DemoAuthGuard)
  remove(@Param('id') id: string): void {
    if (!this.items.delete(Number(id))) throw new NotFoundException();
  }

  @Get('broken')
  broken(): never {
    throw new Error('this 500 still carries the CORS headers, so the page can read it');
  }
}
