import { Module } from '@nestjs/common';
import { CorsModule } from '@preflight/cors-nestjs';
import { ItemsController } from './items.controller.js';
import { Settings } from './settings.js';

@Module({ providers: [Settings], exports: [Settings] })
export class SettingsModule {}

@Module({
  imports: [
    SettingsModule,
    // Options from another provider. A bad configuration (say, origin: 'http://localhost:5173/')
    // makes NestFactory.create() fail with a CorsConfigError that names the fix.
    CorsModule.forRootAsync({
      imports: [SettingsModule],
      inject: [Settings],
      useFactory: (settings: Settings) => ({
        origin: settings.corsOrigins,
        credentials: true,
        allowedHeaders: ['Content-Type', 'Authorization'],
        exposedHeaders: ['X-Total-Count'],
        maxAge: 600,
        onRefusal: (refusal, request) => console.warn(`CORS refused ${String(request.origin)}: ${refusal.message}`),
      }),
    }),
  ],
  controllers: [ItemsController],
})
export class AppModule {}
