// For a block that shows an options object on its own: the object must be valid CorsOptions.
import type { CorsOptions } from '@preflight/cors-core';

export const options: CorsOptions =
