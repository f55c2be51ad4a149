/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server code (tRPC, Prisma, dockerode) runs in the custom server, never in Next's bundles.
  serverExternalPackages: ["dockerode", "pino", "@prisma/client", "pg"],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
