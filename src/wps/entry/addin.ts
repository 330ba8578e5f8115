/**
 * Bundle of the WPS 加载项's entry page (index.html): defines the ribbon callbacks that ribbon.xml names as
 * globals, synchronously, before WPS reads ribbon.xml (the script is loaded blocking in the page's head).
 */
import { installRibbonCallbacks, type AddinHost } from '../addin';

installRibbonCallbacks(window as unknown as AddinHost & Record<string, unknown>);
