/**
 * Builds the task pane (taskpane.html, loaded by Excel from https://localhost:3000 per manifest.xml) and
 * the browser preview (preview.html, the same App over the in-memory Excel host) from one build.
 *
 *   npx webpack --mode production        -> dist/
 *   npx webpack serve --mode development -> https://localhost:3000 with office-addin-dev-certs (real add-in)
 */
const path = require('path');
const fs = require('fs');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const SAMPLES = ['石家庄市总工会_2025_绩效自评表.xlsx', '石家庄市总工会_2024_项目绩效目标表.xlsx'];
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

module.exports = async (env, argv) => {
  const dev = argv.mode !== 'production';
  const serving = Boolean(process.env.WEBPACK_SERVE);
  const copies = [];
  if (fs.existsSync(path.join(__dirname, 'assets'))) copies.push({ from: 'assets', to: 'assets' });
  if (fs.existsSync(path.join(__dirname, 'manifest.xml'))) copies.push({ from: 'manifest.xml', to: 'manifest.xml' });
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
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { module: 'es2020', moduleResolution: 'node' } } },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      // Node-only ExcelJS internals (src/xlsx/report.ts patches them inside a try/catch): the browser uses
      // ExcelJS's own bundle, so leave them out; the require then fails and the patch is skipped.
      new webpack.IgnorePlugin({ resourceRegExp: /^exceljs\/lib\// }),
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: './src/taskpane/taskpane.html', chunks: ['taskpane'] }),
      new HtmlWebpackPlugin({ filename: 'preview.html', template: './src/preview/preview.html', chunks: ['preview'] }),
      ...(copies.length ? [new CopyWebpackPlugin({ patterns: copies })] : []),
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
