/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon: load it from node_modules at run time
  // instead of letting the bundler try to trace it.
  serverExternalPackages: ["better-sqlite3", "pino"],
  poweredByHeader: false,
};

module.exports = nextConfig;
