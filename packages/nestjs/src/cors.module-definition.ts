import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CorsModuleOptions } from './cors-module-options.interface.js';

/** Built once: `forRoot` / `forRootAsync`, the options token and the option types. */
export const {
  ConfigurableModuleClass: CorsConfigurableModule,
  MODULE_OPTIONS_TOKEN: CORS_MODULE_OPTIONS,
  OPTIONS_TYPE: CORS_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CORS_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CorsModuleOptions>({ moduleName: 'Cors' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createCorsOptions')
  .build();
