import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native and Docker-facing packages stay out of the server bundle.
  serverExternalPackages: ['better-sqlite3', 'dockerode', 'simple-git'],
  poweredByHeader: false,
  // Separate builds (tests, benchmarks) can live side by side.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  typedRoutes: false,
  // AoCBench's raw-data URLs keep working for existing consumers.
  async rewrites() {
    return [
      { source: '/raw.json', destination: '/api/aocbench/results.json' },
      { source: '/results.json', destination: '/api/aocbench/results.json' },
      { source: '/times.json', destination: '/api/times.json' },
    ];
  },
};

export default config;
