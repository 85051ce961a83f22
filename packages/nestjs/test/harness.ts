import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Module,
  Options,
  Patch,
  Post,
  Put,
  type DynamicModule,
  type INestApplication,
  type LoggerService,
  type ModuleMetadata,
} from '@nestjs/common';
import { NestFactory, RouterModule, type AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ConformanceHarness, Protocol, RunningServer } from '@preflight/cors-conformance';
import { CorsModule, type CorsOptions } from '../src/index.js';

/** One HTTP platform of NestJS: a fresh adapter per application, for one of its protocols. */
export interface Platform {
  readonly name: string;
  /** What the platform serves: Express runs on node:http only, Fastify also serves HTTP/2. */
  readonly protocols: readonly Protocol[];
  adapter(protocol?: Protocol): AbstractHttpAdapter;
}

/** The two HTTP platforms of NestJS. */
export const platforms: readonly [express: Platform, fastify: Platform] = [
  { name: 'express', protocols: ['http/1.1'], adapter: () => new ExpressAdapter() },
  {
    name: 'fastify',
    protocols: ['http/1.1', 'h2c'],
    // HTTP/2 without TLS: `new FastifyAdapter({ http2: true })`.
    adapter: (protocol) => (protocol === 'h2c' ? new FastifyAdapter({ http2: true }) : new FastifyAdapter()),
  },
];

// Each standard handler sets X-App-Handler (its name) and the two exposed-header
// candidates; @Header() sets them before the handler runs, errors included.
@Controller()
class StandardController {
  @Get('echo')
  @Header('X-App-Handler', 'echo')
  @Header('X-Request-Id', '42')
  @Header('X-Secret', 's')
  get(): string {
    return 'ok';
  }

  @Post('echo')
  @HttpCode(200)
  @Header('X-App-Handler', 'echo')
  @Header('X-Request-Id', '42')
  @Header('X-Secret', 's')
  post(): string {
    return 'ok';
  }

  @Put('echo')
  @Header('X-App-Handler', 'echo')
  @Header('X-Request-Id', '42')
  @Header('X-Secret', 's')
  put(): string {
    return 'ok';
  }

  @Patch('echo')
  @Header('X-App-Handler', 'echo')
  @Header('X-Request-Id', '42')
  @Header('X-Secret', 's')
  patch(): string {
    return 'ok';
  }

  @Delete('echo')
  @Header('X-App-Handler', 'echo')
  @Header('X-Request-Id', '42')
  @Header('X-Secret', 's')
  delete(): string {
    return 'ok';
  }

  @Options('options')
  @HttpCode(200)
  @Header('X-App-Handler', 'options')
  options(): string {
    return 'app-options';
  }

  @Get('vary-after')
  @Header('X-App-Handler', 'vary-after')
  @Header('Vary', 'Accept-Encoding')
  varyAfter(): string {
    return 'ok';
  }

  @Get('vary-before')
  @Header('X-App-Handler', 'vary-before')
  varyBefore(): string {
    return 'ok';
  }

  @Get('error')
  @Header('X-App-Handler', 'error')
  error(): never {
    throw new Error('boom');
  }

  @Get('http-error')
  @Header('X-App-Handler', 'http-error')
  httpError(): never {
    throw new BadRequestException();
  }

  @Get('status-500')
  @HttpCode(500)
  @Header('X-App-Handler', 'status-500')
  status500(): string {
    return 'failed';
  }
}

@Controller('nested')
class NestedController {
  @Get('echo')
  @Header('X-App-Handler', 'echo')
  @Header('X-Request-Id', '42')
  @Header('X-Secret', 's')
  get(): string {
    return 'ok';
  }
}

/** `/prefix/nested/echo`: a controller of a feature module mounted under a RouterModule prefix. */
@Module({ controllers: [NestedController] })
class NestedModule {}

/** The standard routes of the conformance harness, with `cors` as the CORS module. */
export function standardApp(cors: DynamicModule, extra: ModuleMetadata = {}): DynamicModule {
  @Module({})
  class AppModule {}
  return {
    module: AppModule,
    imports: [cors, NestedModule, RouterModule.register([{ path: 'prefix', module: NestedModule }]), ...(extra.imports ?? [])],
    controllers: [StandardController, ...(extra.controllers ?? [])],
    providers: [...(extra.providers ?? [])],
  };
}

/** Registered with `app.use()` before `app.init()`: runs ahead of the module middleware, so ahead of CORS. */
function varyBefore(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  if (url === '/vary-before' || url.startsWith('/vary-before?')) res.setHeader('Vary', 'Accept-Language');
  next();
}

/** How `listen` builds the application. */
export interface ListenOptions {
  /** Called after `NestFactory.create()`, before `listen()`. */
  readonly setup?: (app: INestApplication) => void;
  /** Nest's logger (default: none). */
  readonly logger?: LoggerService | false;
  /** `NestFactory.create()`'s `cors` option, to check the conflict detection. */
  readonly cors?: boolean;
  /** The protocol to serve (default HTTP/1.1): one of the platform's `protocols`. */
  readonly protocol?: Protocol;
}

/** Create the application, register `varyBefore`, and listen on 127.0.0.1:0. */
export async function listen(platform: Platform, root: DynamicModule, options: ListenOptions = {}): Promise<RunningServer & { app: INestApplication }> {
  const app = await NestFactory.create(root, platform.adapter(options.protocol), {
    logger: options.logger ?? false,
    abortOnError: false,
    ...(options.cors === undefined ? {} : { cors: options.cors }),
  });
  app.use(varyBefore);
  options.setup?.(app);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** The conformance harness of one platform. */
export function harnessFor(platform: Platform): ConformanceHarness {
  return {
    name: `nestjs (${platform.name})`,
    protocols: platform.protocols,
    start: (options: CorsOptions, { protocol = 'http/1.1' } = {}) => listen(platform, standardApp(CorsModule.forRoot(options)), { protocol }),
  };
}

export const harnesses: readonly ConformanceHarness[] = platforms.map(harnessFor);
