import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native and Docker-facing packages stay out of the server bundle.
  serverExternalPackages: ['better-sqlite3', 'dockerode', 'simple-git'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
