/**
 * The WPS 加载项's folder (docs/WPS.md): what WPS 表格 loads, laid out as Kingsoft's wpsjs tool lays it out.
 *
 *   ribbon.xml          the 「绩效」 tab (CustomUI), whose callbacks are globals of index.html
 *   index.html          the entry page WPS loads at start-up; addin.[hash].js defines the callbacks (src/wps/addin.ts)
 *   taskpane.html       the pane (src/wps/entry/taskpane.tsx: the React pane of src/taskpane over WpsSession)
 *   images/icon-*.png   the button's icons (assets/)
 *
 * Run through scripts/build-wps.js (`npm run build:wps`), which also writes the deployment files around the
 * folder (the offline .7z, jsplugins.xml, publish.html). `env.out` is the folder to write.
 *
 * The loaders, the ES2019 syntax level (dependencies included) and the ExcelJS exclusion are the Excel build's
 * (webpack.config.js), taken from it so that both hosts get the same code.
 */
const path = require('path');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const excelConfig = require('./webpack.config.js');

const ICONS = ['icon-16.png', 'icon-32.png', 'icon-64.png', 'icon-80.png'];

module.exports = async (env = {}, argv = {}) => {
  if (!env.out) throw new Error('webpack.wps.config.js: env.out (the add-in folder) is required');
  const mode = argv.mode === 'development' ? 'development' : 'production';
  // Only the Excel build's settings are used (module rules, resolve, target, the ExcelJS IgnorePlugin); its entries,
  // pages and copies are not. Its output directory is never written: this config has its own.
  const excel = await excelConfig({ out: path.join(String(env.out), '.unused') }, { mode });
  const shared = excel.plugins.filter((p) => p instanceof webpack.IgnorePlugin);

  return {
    mode,
    devtool: mode === 'development' ? 'source-map' : false,
    context: __dirname,
    entry: {
      addin: './src/wps/entry/addin.ts',
      taskpane: './src/wps/entry/taskpane.tsx',
    },
    target: excel.target,
    output: {
      path: path.resolve(String(env.out)),
      filename: '[name].[contenthash:8].js',
      // Relative URLs: the same folder works on an intranet server (online) and unpacked under jsaddons (offline).
      publicPath: '',
      clean: true,
    },
    resolve: excel.resolve,
    module: excel.module,
    performance: { hints: false },
    plugins: [
      ...shared,
      new HtmlWebpackPlugin({
        filename: 'index.html',
        template: './src/wps/entry/index.html',
        chunks: ['addin'],
        // The callbacks must exist when WPS reads ribbon.xml: a plain script in the head, not deferred.
        scriptLoading: 'blocking',
        inject: 'head',
      }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/wps/entry/taskpane.html',
        chunks: ['taskpane'],
        scriptLoading: 'defer',
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'src/wps/entry/ribbon.xml', to: 'ribbon.xml' },
          ...ICONS.map((f) => ({ from: `assets/${f}`, to: `images/${f}` })),
          // The support page with every rule's help, linked from the pane (it shows icon-80.png beside it).
          { from: 'assets/support.html', to: 'help/support.html' },
          { from: 'assets/icon-80.png', to: 'help/icon-80.png' },
        ],
      }),
    ],
  };
};
