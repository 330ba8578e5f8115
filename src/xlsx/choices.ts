/**
 * PerfSheet's choices stored in an .xlsx file (src/domain/settings.ts): the hidden defined names of
 * xl/workbook.xml, read without ExcelJS (which drops names that hold a constant). For the CLI, so that it
 * scores with the profile the task pane chose for the workbook.
 *
 *   const pkg = await XlsxPackage.open(bytes, name);
 *   const { profile, reviews } = await readChoices(pkg);
 */
import { NameEntry, parseChoices, WorkbookChoices } from '../domain/settings';
import { XlsxPackage } from './package';
import { scanXml } from './xml';

/** Every workbook-scoped defined name, with its formula text as written in xl/workbook.xml. */
export async function readDefinedNames(pkg: XlsxPackage): Promise<(NameEntry & { hidden: boolean })[]> {
  const part = await pkg.workbookPart();
  if (!part) return [];
  const xml = (await pkg.text(part)) ?? '';
  const names: (NameEntry & { hidden: boolean })[] = [];
  let dn: { name: string; hidden: boolean; text: string[] } | null = null;
  scanXml(xml, {
    open(name, a, self) {
      // Sheet-scoped names (localSheetId) are not PerfSheet's.
      if (name === 'definedName' && !self && a.get('localSheetId') === undefined) dn = { name: a.get('name') ?? '', hidden: a.get('hidden') === '1' || a.get('hidden') === 'true', text: [] };
    },
    close(name) {
      if (name === 'definedName' && dn) {
        names.push({ name: dn.name, ref: dn.text.join(''), hidden: dn.hidden });
        dn = null;
      }
    },
    text(t) {
      dn?.text.push(t);
    },
  });
  return names;
}

/** The profile and reviews stored in the workbook (profile null when none is stored). */
export async function readChoices(pkg: XlsxPackage): Promise<WorkbookChoices> {
  return parseChoices(await readDefinedNames(pkg));
}
