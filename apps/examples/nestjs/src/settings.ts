import { Injectable } from '@nestjs/common';

/**
 * The application's settings, read from the environment — what `ConfigService` from
 * `@nestjs/config` would provide in a real project.
 */
@Injectable()
export class Settings {
  readonly apiPort = Number(process.env.API_PORT ?? 3000);
  readonly pagePort = Number(process.env.PAGE_PORT ?? 5173);
  /** CORS_ORIGINS=https://a.example.com,https://b.example.com; defaults to the demo page. */
  readonly corsOrigins = (process.env.CORS_ORIGINS ?? `http://localhost:${this.pagePort}`).split(',');
}
