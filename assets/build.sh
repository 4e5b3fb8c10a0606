#!/usr/bin/env bash
# Builds assets/build/ (what Django serves as static files) from the packages npm installed in
# node_modules/. Nothing is fetched here: `npm ci` did that, from the lock file. See docs/frontend.md.
set -euo pipefail
cd "$(dirname "$0")"

test -d node_modules/govuk-frontend || { echo "Run 'npm ci' in assets/ first." >&2; exit 1; }

rm -rf build
mkdir -p build/css build/js build/images build/leaflet

# GOV.UK Frontend (only the components we import) + our rules, one compressed stylesheet.
# GOV.UK Frontend 5 still uses @import, which current Sass reports as deprecated: silence those
# warnings (and any from the dependency itself) so that real errors stand out.
node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
  --quiet-deps --silence-deprecation=import \
  src/ventanilla.scss build/css/ventanilla.css

# GOV.UK Frontend's JavaScript (an ES module), loaded only by pages whose components need it.
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
   node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map build/js/
# Starts it; a file, not an inline script, for the Content-Security-Policy (docs/security.md).
cp src/govuk-init.js build/js/

# Leaflet for the report form's map (loaded only when the citizen opens the map).
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
   node_modules/leaflet/dist/leaflet.css build/leaflet/
cp -r node_modules/leaflet/dist/images build/leaflet/images

cp src/favicon.svg build/images/favicon.svg

echo "assets/build: $(du -sh build | cut -f1)"
