# redcap-sms in a container (docs/operator-guide.md#docker):
#   docker build -t redcap-sms .
#   docker run -d -p 127.0.0.1:3000:3000 --env-file .env -v redcap-sms-data:/data redcap-sms

# Build: better-sqlite3 compiles with python3, make and g++ when no prebuilt binary fits; `npm ci` runs the
# `prepare` script, which builds dist/ with TypeScript, so the sources come first.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm prune --omit=dev

# Run: the built service, its production dependencies, the migrations, the pages' assets and the fixtures
# (for `replay` and `dictionary check` in the container).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_PATH=/data/redcap-sms.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY public ./public
COPY fixtures ./fixtures
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli/main.js", "serve"]
