/** The Next.js app of the runtime tests: one route handler (app/[[...path]]/route.js). */
const config = {
  poweredByHeader: false,
};

export default config;
