#!/usr/bin/env node
/**
 * `npm start`: where desktop Excel is installed (Windows or macOS), sideloads the add-in with
 * office-addin-debugging (which runs the HTTPS dev server on https://localhost:3000 and opens Excel);
 * everywhere else, starts the browser preview (scripts/preview.js).
 */
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

function excelInstalled() {
  if (process.env.PERFSHEET_PREVIEW === '1') return false;
  if (process.platform === 'darwin') return fs.existsSync('/Applications/Microsoft Excel.app');
  if (process.platform === 'win32') {
    const roots = [process.env.ProgramFiles, process.env['ProgramFiles(x86)']].filter(Boolean);
    return roots.some((r) =>
      ['Microsoft Office\\root\\Office16\\EXCEL.EXE', 'Microsoft Office\\Office16\\EXCEL.EXE'].some((p) => fs.existsSync(path.join(r, p))),
    );
  }
  return false;
}

if (excelInstalled()) {
  console.log('检测到桌面版 Excel：正在旁加载 PerfSheet（office-addin-debugging）…');
  // One command line, run through the shell, so the quoted dev-server command survives on Windows too.
  const cmd =
    'npx --yes office-addin-debugging start manifest.xml desktop --app excel ' +
    '--dev-server "npx webpack serve --mode development" --dev-server-port 3000';
  const child = spawn(cmd, { cwd: path.resolve(__dirname, '..'), stdio: 'inherit', shell: true });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('未检测到桌面版 Excel：启动浏览器预览。');
  require('./preview.js')
    .main()
    .catch((e) => {
      console.error(`预览启动失败：${e.message}`);
      process.exit(1);
    });
}
