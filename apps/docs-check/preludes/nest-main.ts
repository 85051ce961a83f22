// The imports of the NestJS quick start's main.ts (`app.module.ts` is the sample marked `file app.module.ts`).
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
