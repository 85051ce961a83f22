// Koa 2 is installed under the alias `koa2` and ships no types. The API the tests use is the
// same in Koa 2 and 3, so the Koa 3 types (`@types/koa`) stand in for it.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
