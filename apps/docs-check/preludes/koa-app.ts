// A Koa application, for fragments that call `app.use(…)` or `app.on(…)`.
import Koa from 'koa';

const app = new Koa();
