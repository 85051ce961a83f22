import 'reflect-metadata';
import type { IncomingHttpHeaders, Server } from 'node:http';
import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Module,
  Patch,
  Post,
  Put,
  Req,
  StreamableFile,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CorsModule } from '@preflight/cors-nestjs';
import { ASSETS, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type AdapterId, type ApiServer, type StartApi, type StartApiOptions } from './shared.js';

/** What the handlers read from the request, on Express and on Fastify alike. */
interface AnyRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
}

const X_REQUEST_ID = ECHO_HEADERS['X-Request-Id'];
const X_SECRET = ECHO_HEADERS['X-Secret'];
const NO_STORE = ECHO_HEADERS['Cache-Control'];

/** The API module: `CorsModule.forRoot(options)` and one controller with the standard routes. */
function apiModule(adapter: AdapterId, options: StartApiOptions): new () => unknown {
  @Controller('api')
  class ApiController {
    @Get('echo') @Header('X-Request-Id', X_REQUEST_ID) @Header('X-Secret', X_SECRET) @Header('Cache-Control', NO_STORE)
    get(@Req() req: AnyRequest) {
      return echoBody(adapter, req.method, req.headers);
    }
    @Post('echo') @HttpCode(200) @Header('X-Request-Id', X_REQUEST_ID) @Header('X-Secret', X_SECRET) @Header('Cache-Control', NO_STORE)
    post(@Req() req: AnyRequest) {
      return echoBody(adapter, req.method, req.headers);
    }
    @Put('echo') @Header('X-Request-Id', X_REQUEST_ID) @Header('X-Secret', X_SECRET) @Header('Cache-Control', NO_STORE)
    put(@Req() req: AnyRequest) {
      return echoBody(adapter, req.method, req.headers);
    }
    @Patch('echo') @Header('X-Request-Id', X_REQUEST_ID) @Header('X-Secret', X_SECRET) @Header('Cache-Control', NO_STORE)
    patch(@Req() req: AnyRequest) {
      return echoBody(adapter, req.method, req.headers);
    }
    @Delete('echo') @Header('X-Request-Id', X_REQUEST_ID) @Header('X-Secret', X_SECRET) @Header('Cache-Control', NO_STORE)
    remove(@Req() req: AnyRequest) {
      return echoBody(adapter, req.method, req.headers);
    }
    @Get('error')
    error(): never {
      throw new Error('boom');
    }
    @Get('http-error')
    httpError(): never {
      throw new BadRequestException();
    }
    @Get('status-500') @HttpCode(500) @Header('Content-Type', 'text/plain')
    status500() {
      return 'failed';
    }
  }

  // Binary bodies go through StreamableFile (a Buffer returned as is would be sent as JSON).
  const png = ASSETS[ROUTES.image];
  const ttf = ASSETS[ROUTES.font];
  @Controller('assets')
  class AssetsController {
    @Get('test.png') @Header('Cache-Control', png.headers['Cache-Control'])
    image(): StreamableFile {
      return new StreamableFile(png.body, { type: png.headers['Content-Type'] });
    }
    @Get('test.ttf') @Header('Cache-Control', ttf.headers['Cache-Control'])
    font(): StreamableFile {
      return new StreamableFile(ttf.body, { type: ttf.headers['Content-Type'] });
    }
  }

  @Module({ imports: [CorsModule.forRoot(corsOptionsFor(options))], controllers: [ApiController, AssetsController] })
  class ApiModule {}
  return ApiModule;
}

async function startNest(adapter: 'nest-express' | 'nest-fastify', options: StartApiOptions): Promise<ApiServer> {
  const log = new RequestLog();
  const platform = adapter === 'nest-express' ? new ExpressAdapter() : new FastifyAdapter();
  const app: INestApplication = await NestFactory.create(apiModule(adapter, options), platform, { logger: false });
  await app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  const label = adapter === 'nest-express' ? 'NestJS (Express)' : 'NestJS (Fastify)';
  return serve(adapter, label, app.getHttpServer() as Server, log, options, () => app.close());
}

/** NestJS 11 on Express, with `CorsModule.forRoot(options)`. */
export const startNestExpressApi: StartApi = (options) => startNest('nest-express', options);

/** NestJS 11 on Fastify, with `CorsModule.forRoot(options)`. */
export const startNestFastifyApi: StartApi = (options) => startNest('nest-fastify', options);
