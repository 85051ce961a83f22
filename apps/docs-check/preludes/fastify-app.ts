// A Fastify application with the plugin's types loaded (`config.cors`, `request.corsDecision`).
import Fastify from 'fastify';
import '@preflight/cors-fastify';

const app = Fastify();
