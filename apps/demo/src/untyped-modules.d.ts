// apps/demo does not list @types/express and @types/koa (they are not installed for it),
// so these two modules are typed as `any` here; src/apis/express.ts and src/apis/koa.ts
// declare the few members they use. Remove this file once the two @types packages are
// added to the devDependencies.
declare module 'express';
declare module 'koa';
