/**
 * The manifest of a deployment build (`npm run build -- --env origin=https://host/path/`).
 *
 * manifest.xml is the development manifest: every URL is on the webpack dev server (DEV_ORIGIN). A deployment
 * build writes dist/manifest.xml with
 *   - every URL moved from DEV_ORIGIN/ to the deployment base URL (IconUrl, HighResolutionIconUrl, SupportUrl,
 *     SourceLocation, every bt:Image / bt:Url DefaultValue and bt:Override), and the AppDomain set to the base
 *     URL's origin (an AppDomain is an origin, it has no path);
 *   - <Version> taken from package.json ("0.1.0" -> "0.1.0.0": Office wants four numbers);
 *   - <Id> PRODUCTION_ID (or --env id=GUID), set with office-addin-manifest.
 * It is then read back with office-addin-manifest and checked (no localhost left, every URL under the base) and
 * run through the offline validator (scripts/validate-manifest.ts) against dist/assets/.
 *
 * Plain CommonJS so webpack.config.js can require it without a TypeScript loader.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const DEV_ORIGIN = 'https://localhost:3000';

/**
 * The add-in's Id in every deployment build. Office and the admin center identify an add-in by this GUID: keep
 * it across releases so that a new version replaces the old one on every desk. It differs from manifest.xml's
 * (development) Id so that a developer's sideloaded copy and the deployed add-in never collide. Give a build
 * another Id (--env id=GUID) only for a second, separate installation that must coexist with this one (a test
 * server beside production); see docs/DEPLOY.md.
 */
const PRODUCTION_ID = '9d0aff4c-039c-4f83-b724-72120a3fe1aa';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks and normalises the deployment base URL: https, no query or fragment, ends with '/'. */
function normalizeBase(origin) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(
      `--env origin 不是完整的网址：“${origin}”（应为 https://主机/路径/）。 / --env origin is not an absolute URL: "${origin}".`,
    );
  }
  if (url.protocol !== 'https:')
    throw new Error(
      `--env origin 必须是 https 地址：“${origin}”。Office 只加载 HTTPS 页面。 / --env origin must be https: "${origin}".`,
    );
  if (url.search || url.hash)
    throw new Error(
      `--env origin 不能带查询参数或 #：“${origin}”。 / --env origin must not have a query or fragment: "${origin}".`,
    );
  if (url.username || url.password)
    throw new Error('--env origin 不能包含用户名或密码。 / --env origin must not contain credentials.');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** package.json's semver "1.2.3" (a pre-release tag is dropped) as the manifest's "1.2.3.0". */
function manifestVersion(pkgVersion) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(String(pkgVersion));
  if (!m)
    throw new Error(
      `package.json 的 version “${pkgVersion}” 不是 x.y.z。 / package.json version "${pkgVersion}" is not x.y.z.`,
    );
  return `${m[1]}.${m[2]}.${m[3]}.0`;
}

/**
 * Rewrites the development manifest's text for `base` (from normalizeBase) and `version` (n.n.n.n). Works on the
 * text so that every element, comment and override is kept as written; throws if a dev URL is left over.
 */
function rewriteManifestXml(xml, { base, version }) {
  const origin = new URL(base).origin;
  // The development comment at the top does not describe this file (and office-addin-manifest drops comments).
  let out = xml.replace(/<!--[\s\S]*?-->\s*/, (comment) => (/Development manifest/.test(comment) ? '' : comment));
  const count = (s, re) => (s.match(re) || []).length;
  if (count(out, /<Version>[^<]*<\/Version>/g) !== 1) throw new Error('manifest.xml: expected exactly one <Version>');
  out = out.replace(/<Version>[^<]*<\/Version>/, `<Version>${version}</Version>`);
  const devDomain = new RegExp(`<AppDomain>\\s*${escapeRe(DEV_ORIGIN)}/?\\s*</AppDomain>`, 'g');
  out = out.replace(devDomain, `<AppDomain>${origin}</AppDomain>`);
  out = out.replace(new RegExp(`${escapeRe(DEV_ORIGIN)}/`, 'g'), base);
  const left = out.match(/https?:\/\/(localhost|127\.0\.0\.1)[^"<\s]*/);
  if (left) throw new Error(`manifest.xml: a development URL is left after rewriting: ${left[0]}`);
  return out;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every URL-valued thing office-addin-manifest reads back, for the post-build check. */
function urlsOf(info) {
  return [
    info.iconUrl,
    info.highResolutionIconUrl,
    info.supportUrl,
    info.defaultSettings && info.defaultSettings.sourceLocation,
  ].filter(Boolean);
}

/**
 * Writes `outDir`/manifest.xml for a deployment, then verifies it. Returns a list of problems (empty when good).
 * `root` is the project root (manifest.xml, package.json, scripts/).
 */
async function writeDeploymentManifest({ root, outDir, base, id = PRODUCTION_ID, validate = true }) {
  if (!GUID.test(id)) throw new Error(`--env id 不是 GUID：“${id}”。 / --env id is not a GUID: "${id}".`);
  const { OfficeAddinManifest } = require('office-addin-manifest');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const version = manifestVersion(pkg.version);
  const out = path.join(outDir, 'manifest.xml');
  fs.writeFileSync(
    out,
    rewriteManifestXml(fs.readFileSync(path.join(root, 'manifest.xml'), 'utf8'), { base, version }),
  );
  await OfficeAddinManifest.modifyManifestFile(out, id);
  // modifyManifestFile re-serialises the XML and drops the leading comment: put a short one back (no "--" in it:
  // XML comments must not contain two hyphens).
  const written = fs.readFileSync(out, 'utf8');
  fs.writeFileSync(
    out,
    written.replace(
      /^(<\?xml[^>]*\?>\s*)/,
      `$1<!-- PerfSheet ${version} deployment manifest, generated by npm run build. Do not edit: see docs/DEPLOY.md. -->\n`,
    ) + (written.endsWith('\n') ? '' : '\n'),
  );

  const problems = [];
  const info = await OfficeAddinManifest.readManifestFile(out);
  if (info.id !== id) problems.push(`Id is ${info.id}, expected ${id}`);
  if (info.version !== version) problems.push(`Version is ${info.version}, expected ${version}`);
  for (const u of urlsOf(info)) if (!u.startsWith(base)) problems.push(`URL not under ${base}: ${u}`);
  for (const d of info.appDomains || [])
    if (d !== new URL(base).origin) problems.push(`AppDomain ${d} is not ${new URL(base).origin}`);
  const text = fs.readFileSync(out, 'utf8');
  if (/localhost|127\.0\.0\.1/.test(text)) problems.push('the manifest still mentions localhost');
  for (const m of text.matchAll(/(?:DefaultValue|Value)="(https?:[^"]*)"/g))
    if (!m[1].startsWith(base)) problems.push(`URL not under ${base}: ${m[1]}`);

  if (validate) {
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('ts-node/dist/bin.js'),
        '--transpile-only',
        path.join(root, 'scripts', 'validate-manifest.ts'),
        out,
      ],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) problems.push(`offline validation failed:\n${r.stdout}${r.stderr}`);
  }
  return { file: out, info, problems };
}

module.exports = {
  DEV_ORIGIN,
  PRODUCTION_ID,
  normalizeBase,
  manifestVersion,
  rewriteManifestXml,
  writeDeploymentManifest,
};
