/**
 * The browser preview: a fresh copy of Microsoft's Office.js client library for each in-memory Excel host,
 * in a hidden same-origin frame of its own — as the `vm` contexts of officejs-node.ts in Node — so that a
 * second workbook opened in the page never delivers its events to the first one's handlers. The file is
 * the one webpack copies from node_modules (never the CDN); the browser fetches it once and caches it.
 */
import { OfficeJsGlobals, officeJsFrom, OfficeJsLibrary } from './officejs';

export function officeJsInFrame(src: string): Promise<OfficeJsLibrary> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.title = 'Office.js (PerfSheet preview)';
    document.body.appendChild(frame);
    const win = frame.contentWindow;
    const doc = frame.contentDocument;
    if (!win || !doc) {
      reject(new Error('PerfSheet 预览：无法创建加载 Office.js 的框架。'));
      return;
    }
    const script = doc.createElement('script');
    script.src = new URL(src, document.baseURI).href;
    script.onload = () => {
      try {
        resolve(officeJsFrom(win as unknown as OfficeJsGlobals, src));
      } catch (e) {
        reject(e);
      }
    };
    script.onerror = () => reject(new Error(`PerfSheet 预览：未能加载 ${src}。`));
    doc.head.appendChild(script);
  });
}
