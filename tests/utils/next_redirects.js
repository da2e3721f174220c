// Reads a Next.js redirects() array as Next.js itself does, with its own modules (from
// the `next` package in $WRT_NEXT_DIR/node_modules), and says what it answers:
//   node next_redirects.js REDIRECTS.json REQUESTS.json CONFIG.json
// REQUESTS is a list of request targets as sent on the wire ("/caf%C3%A9?x=1").
// loadCustomRoutes() checks the array and exits with status 1 when Next.js refuses it
// (its messages on standard error). Then each request goes through the steps of
// next/dist/server/lib/router-utils/resolve-routes.js up to a redirect: the repeated
// slash and backslash redirect, then each route's matcher (buildCustomRoute, as the
// router builds it), has/missing, prepareDestination and the Location it formats.
// Prints {"routes": N, "answers": {request: [status, location] | null}}; an answer of
// Next.js's own (its trailing-slash redirect, or the repeated-slash one) ends in "next".
"use strict";

const fs = require("fs");
const path = require("path");
const url = require("url");

const dist = path.join(process.env.WRT_NEXT_DIR, "node_modules", "next", "dist");
const next = (module) => require(path.join(dist, module));

const loadCustomRoutes = next("lib/load-custom-routes.js").default;
const { buildCustomRoute } = next("server/lib/router-utils/filesystem.js");
const { prepareDestination, matchHas } = next(
  "shared/lib/router/utils/prepare-destination.js",
);
const { stringifyQuery } = next("server/server-route-utils.js");
const { normalizeRepeatedSlashes } = next("shared/lib/utils.js");
const { getRedirectStatus } = next("lib/redirect-status.js");
const { addRequestMeta } = next("server/request-meta.js");

function answer(routes, target) {
  const [targetPath] = target.split("?", 1);
  if (/(\\|\/\/)/.test(targetPath)) {
    return [308, normalizeRepeatedSlashes(target), "next"];
  }
  const parsedUrl = url.parse(target, true);
  const req = { headers: {}, url: target };
  addRequestMeta(req, "initQuery", { ...parsedUrl.query });
  for (const route of routes) {
    let params = route.match(parsedUrl.pathname || "/");
    if ((route.has || route.missing) && params) {
      const hasParams = matchHas(req, parsedUrl.query, route.has, route.missing);
      params = hasParams ? Object.assign(params, hasParams) : false;
    }
    if (!params) {
      continue;
    }
    const { parsedDestination } = prepareDestination({
      appendParamsToQuery: false,
      destination: route.destination,
      params,
      query: parsedUrl.query,
    });
    const { query } = parsedDestination;
    delete parsedDestination.query;
    parsedDestination.search = stringifyQuery(req, query);
    parsedDestination.pathname = normalizeRepeatedSlashes(parsedDestination.pathname);
    const answered = [getRedirectStatus(route), url.format(parsedDestination)];
    return route.internal ? [...answered, "next"] : answered;
  }
  return null;
}

async function main() {
  const [redirectsFile, requestsFile, configFile] = process.argv.slice(2);
  const items = JSON.parse(fs.readFileSync(redirectsFile, "utf8"));
  const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
  config.experimental = config.experimental || {};
  config.redirects = async () => items;
  const custom = await loadCustomRoutes(config);
  const routes = custom.redirects.map((item) =>
    buildCustomRoute("redirect", item, config.basePath, config.experimental.caseSensitiveRoutes),
  );
  const answers = {};
  for (const target of JSON.parse(fs.readFileSync(requestsFile, "utf8"))) {
    answers[target] = answer(routes, target);
  }
  process.stdout.write(JSON.stringify({ routes: custom.redirects.length, answers }));
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
