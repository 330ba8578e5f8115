/**
 * Builds the task pane (taskpane.html, loaded by Excel per manifest.xml) and the browser preview (preview.html,
 * the same App over the in-memory Excel host) from one build.
 *
 *   npx webpack --mode production        -> dist/ for the dev server https://localhost:3000 (manifest.xml as is)
 *   npx webpack serve --mode development -> https://localhost:3000 with office-addin-dev-certs (real add-in)
 *
 * Deployment builds (docs/DEPLOY.md):
 *   npm run build -- --env origin=https://perfsheet.example.gov.cn/addin/
 *       dist/manifest.xml with every URL under that base, Version from package.json, the production Id
 *       (scripts/manifest-build.js; --env id=GUID for a second, coexisting installation)
 *   npm run build -- --env officejs=local [--env origin=...]
 *       Office.js is copied from @microsoft/office-js into dist/office-js/ and taskpane.html loads it from its own
 *       origin instead of Microsoft's CDN (networks that cannot reach the CDN)
 *   --env out=DIR writes somewhere else than dist/ (tests).
 */
const path = require('path');
const fs = require('fs');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const { normalizeBase, writeDeploymentManifest } = require('./scripts/manifest-build');
const { officeJsFiles, OFFICE_JS_CDN, OFFICE_JS_LOCAL_DIR } = require('./scripts/office-js-files');

const SAMPLES = ['石家庄市总工会_2025_绩效自评表.xlsx', '石家庄市总工会_2024_项目绩效目标表.xlsx'];
/** The syntax level of the bundle, dependencies included: Safari 15 (Excel on Mac) and older WebView2 builds. */
const BUNDLE_TARGET = 'es2019';
const DEV_PORT = Number(process.env.PERFSHEET_DEV_PORT || 3000);

/**
 * HTTPS for the dev server: office-addin-dev-certs creates the certificates and installs its CA (Windows and
 * macOS prompt for it). Where installing the CA is impossible (Linux without sudo, CI), the generated
 * certificates are used anyway and the browser/Office must be told to trust ca.crt by hand (docs/ADDIN.md).
 */
async function httpsOptions() {
  const devCerts = require('office-addin-dev-certs');
  try {
    return await devCerts.getHttpsServerOptions();
  } catch (e) {
    const dir = path.join(require('os').homedir(), '.office-addin-dev-certs');
    const read = (f) => fs.readFileSync(path.join(dir, f));
    if (!fs.existsSync(path.join(dir, 'localhost.crt'))) throw e;
    console.warn(
      `\n未能自动信任开发证书（${e.message.split('\n')[0]}）。\n` +
        `服务器仍以 ${dir} 中的证书启动：请手动信任其中的 ca.crt（见 docs/ADDIN.md 第 3.1 节）。\n`,
    );
    return { key: read('localhost.key'), cert: read('localhost.crt'), ca: read('ca.crt') };
  }
}

/**
 * After the files are written: the deployment manifest (only with --env origin), read back with
 * office-addin-manifest and checked by the offline validator; any problem fails the build.
 */
class DeploymentManifestPlugin {
  constructor(options) {
    this.options = options;
  }
  apply(compiler) {
    compiler.hooks.afterEmit.tapPromise('DeploymentManifestPlugin', async (compilation) => {
      try {
        const { problems } = await writeDeploymentManifest({ root: __dirname, outDir: compiler.options.output.path, ...this.options });
        for (const p of problems) compilation.errors.push(new Error(`dist/manifest.xml: ${p}`));
      } catch (e) {
        compilation.errors.push(e);
      }
    });
  }
}

module.exports = async (env = {}, argv = {}) => {
  const dev = argv.mode !== 'production';
  const serving = Boolean(process.env.WEBPACK_SERVE);
  const base = env.origin ? normalizeBase(String(env.origin)) : undefined;
  if (env.officejs !== undefined && env.officejs !== 'local' && env.officejs !== 'cdn') {
    throw new Error(`--env officejs 只能是 local 或 cdn（收到 “${env.officejs}”）。 / --env officejs must be local or cdn.`);
  }
  const localOfficeJs = env.officejs === 'local';
  const outDir = env.out ? path.resolve(String(env.out)) : path.resolve(__dirname, 'dist');
  const copies = [];
  if (fs.existsSync(path.join(__dirname, 'assets'))) copies.push({ from: 'assets', to: 'assets' });
  if (!base && fs.existsSync(path.join(__dirname, 'manifest.xml'))) copies.push({ from: 'manifest.xml', to: 'manifest.xml' });
  // Microsoft's files are copied as shipped (minimized: true keeps Terser off them).
  if (localOfficeJs) for (const f of officeJsFiles()) copies.push({ from: f.from, to: `${OFFICE_JS_LOCAL_DIR}/${f.to}`, info: { minimized: true } });
  // The preview's in-memory Excel host runs the add-in through Microsoft's client library, from node_modules.
  copies.push({ from: require.resolve('@microsoft/office-js/dist/excel-web-16.00.js'), to: 'office-js-preview/excel-web-16.00.js', info: { minimized: true } });
  for (const f of SAMPLES) {
    const p = path.join(__dirname, 'test', 'fixtures', f);
    if (fs.existsSync(p)) copies.push({ from: p, to: `samples/${f}` });
  }

  let server;
  if (serving) server = { type: 'https', options: await httpsOptions() };

  return {
    mode: dev ? 'development' : 'production',
    devtool: dev ? 'source-map' : false,
    entry: {
      taskpane: './src/taskpane/index.tsx',
      preview: './src/preview/index.tsx',
    },
    target: ['web', BUNDLE_TARGET],
    output: {
      path: outDir,
      filename: '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: { transpileOnly: true, compilerOptions: { module: 'es2020', moduleResolution: 'node', target: BUNDLE_TARGET } },
          },
        },
        {
          // Dependencies ship ES2022 (Fluent's tabster: `static {}` blocks, `??=`, class fields), which Safari 15
          // and older WebView2 builds reject: TypeScript down-levels them to the bundle's target.
          test: /\.m?js$/,
          include: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: {
              instance: 'node_modules',
              transpileOnly: true,
              compilerOptions: { allowJs: true, checkJs: false, module: 'es2020', moduleResolution: 'node', target: BUNDLE_TARGET, sourceMap: false },
            },
          },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      // Node-only ExcelJS internals (src/xlsx/report.ts patches them inside a try/catch): the browser uses
      // ExcelJS's own bundle, so leave them out; the require then fails and the patch is skipped.
      new webpack.IgnorePlugin({ resourceRegExp: /^exceljs\/lib\// }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane'],
        // Relative, so that the page finds office.js beside it wherever dist/ is hosted.
        templateParameters: { officeJsUrl: localOfficeJs ? `${OFFICE_JS_LOCAL_DIR}/office.js` : OFFICE_JS_CDN, officeJsLocal: localOfficeJs },
      }),
      new HtmlWebpackPlugin({ filename: 'preview.html', template: './src/preview/preview.html', chunks: ['preview'] }),
      ...(copies.length ? [new CopyWebpackPlugin({ patterns: copies })] : []),
      ...(base ? [new DeploymentManifestPlugin({ base, ...(env.id ? { id: String(env.id) } : {}) })] : []),
    ],
    devServer: {
      port: DEV_PORT,
      server,
      headers: { 'Access-Control-Allow-Origin': '*' },
      static: false,
      hot: false,
      liveReload: true,
      client: { overlay: { errors: true, warnings: false } },
    },
  };
};
