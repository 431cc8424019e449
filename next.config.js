/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon: load it from node_modules at run time
  // instead of letting the bundler try to trace it.
  serverExternalPackages: ["better-sqlite3", "pino"],
  poweredByHeader: false,
  // The build checks the app's types only; `npm test` checks everything,
  // tests included, with tsc first.
  typescript: { tsconfigPath: "tsconfig.app.json" },
};

module.exports = nextConfig;
